// Drag and drop between an ordered list (the mission rotation, the mod load order) and the pool of
// the other items, as both the missions and the mods pages use it. The pages keep their state;
// this wires the DOM events and says where an item was dropped.

// Moves item by delta places within list; returns its new index, or -1 when it cannot move.
export function moveBy(list, item, delta) {
  const i = list.indexOf(item);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= list.length) return -1;
  list.splice(i, 1);
  list.splice(j, 0, item);
  return j;
}

// type: the private drag data type; itemSelector: the <li> of an item; keyOf(item): what
// identifies it, liKey(li): the same read from its <li>; ordered(): the ordered items now;
// place(item, index): it was dropped at index of the ordered list; remove(item): it was dropped
// on the pool.
export function dragAndDrop({ root, type, itemSelector, keyOf, liKey, ordered, place, remove }) {
  let dragged = null;

  // Where y falls among the items of list, the dragged one left out.
  function dropIndex(list, y) {
    const items = [...list.querySelectorAll(`:scope > ${itemSelector}`)]
      .filter((li) => !dragged || liKey(li) !== String(keyOf(dragged)));
    for (let i = 0; i < items.length; i++) {
      const r = items[i].getBoundingClientRect();
      if (y < r.top + r.height / 2) return { index: i, item: items[i], before: true };
    }
    return { index: items.length, item: items[items.length - 1], before: false };
  }

  function clearMarks() {
    for (const n of root.querySelectorAll('.drop-before, .drop-after, .drop-target')) {
      n.classList.remove('drop-before', 'drop-after', 'drop-target');
    }
  }

  function wire(list, orderedSide) {
    list.addEventListener('dragover', (e) => {
      if (!dragged || !e.dataTransfer.types.includes(type)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
      clearMarks();
      if (orderedSide) {
        const { item, before } = dropIndex(list, e.clientY);
        if (item) item.classList.add(before ? 'drop-before' : 'drop-after');
        else list.classList.add('drop-target');
      } else if (ordered().includes(dragged)) {
        list.classList.add('drop-target');
      }
    });
    list.addEventListener('dragleave', (e) => {
      if (!list.contains(e.relatedTarget)) clearMarks();
    });
    list.addEventListener('drop', (e) => {
      if (!dragged || !e.dataTransfer.types.includes(type)) return;
      e.preventDefault();
      clearMarks();
      const item = dragged;
      const { index } = dropIndex(list, e.clientY);   // counted without the dragged item
      dragged = null;
      if (orderedSide) {
        const list = ordered();
        const target = list.filter((x) => x !== item)[index];
        place(item, target ? list.indexOf(target) : list.length);
      } else if (ordered().includes(item)) {
        remove(item);
      }
    });
  }

  // Makes li (showing item) draggable; label is the text other programs get.
  function draggable(li, item, label) {
    li.addEventListener('dragstart', (e) => {
      if (e.target !== li) return;
      dragged = item;
      e.dataTransfer.setData(type, String(keyOf(item)));
      e.dataTransfer.setData('text/plain', label);
      e.dataTransfer.effectAllowed = 'move';
      requestAnimationFrame(() => li.classList.add('dragging'));
    });
    li.addEventListener('dragend', () => {
      li.classList.remove('dragging');
      dragged = null;
      clearMarks();
    });
  }

  return { wire, draggable };
}
