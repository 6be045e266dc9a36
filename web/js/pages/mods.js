// Mods: the enabled mods in load order (drag and drop or up/down buttons, a server mod switch
// each), the other installed mods with search, the folders of the mods directory that aswg does
// not manage yet (manage or delete them), and uploads of mod archives (.zip).
import { get, post, del, enc, hasAuthority } from '../api.js';
import { dragAndDrop, moveBy } from '../reorder.js';
import { uploadArea } from '../uploads.js';
import {
  el, add, clear, toggleSwitch, button, busy, toast, showError, errorPanel, confirmDialog, formatBytes, pageHeader,
} from '../ui.js';

const DRAG_TYPE = 'application/x-aswg-mod';
const POLL_MS = 3000;   // while a mod is being installed
const STATUS = {
  READY: { text: 'ready', kind: 'ok' },
  MISSING_FILES: { text: 'files missing', kind: 'fail', hint: 'Its folder is not in the mods directory.' },
  MISSING_DEPENDENCY_MODS: { text: 'dependencies missing', kind: 'warn', hint: 'A mod it needs is not installed.' },
  INSTALLING: { text: 'installing', kind: 'run', hint: 'SteamCMD is downloading it.' },
};

const byName = (a, b) => String(a.name).localeCompare(String(b.name), undefined, { sensitivity: 'base' });

export async function mount(root) {
  const can = {
    update: hasAuthority('MODS_UPDATE'),
    remove: hasAuthority('MODS_DELETE'),
    upload: hasAuthority('MODS_UPLOAD'),
  };
  const state = { enabled: [], disabled: [], unmanaged: [], search: '' };
  const unmanagedErrors = new Map();   // directory -> message shown under the folder
  let saving = Promise.resolve();
  let alive = true;
  let pollTimer = null;

  const enabledList = el('ol', { class: 'mod-list', id: 'enabled-mods', 'aria-label': 'Enabled mods in load order' });
  const disabledList = el('ul', { class: 'mod-list', id: 'disabled-mods', 'aria-label': 'Installed mods that are not enabled' });
  const unmanagedList = el('ul', { class: 'mod-list', id: 'unmanaged-mods', 'aria-label': 'Folders not managed by aswg' });
  const enabledCount = el('span', { class: 'count' });
  const disabledCount = el('span', { class: 'count' });
  const unmanagedCount = el('span', { class: 'count' });
  const searchInput = el('input', { type: 'search', placeholder: 'Name, folder or workshop id', autocomplete: 'off', 'aria-label': 'Search the installed mods' });
  const emptyFilter = el('p', { class: 'muted', hidden: true, text: 'No mod matches the search.' });
  const unmanagedSection = el('section', { class: 'card', 'aria-labelledby': 'unmanaged-h' },
    el('div', { class: 'section-head' }, el('h2', { id: 'unmanaged-h' }, 'Folders not managed ', unmanagedCount)),
    el('p', { class: 'muted', text: 'Mod folders in the mods directory that aswg does not manage yet. '
      + 'Managing a folder registers it under its Steam Workshop id (publishedid in meta.cpp) so that it can be enabled.' }),
    unmanagedList);

  searchInput.addEventListener('input', () => {
    state.search = searchInput.value.trim().toLowerCase();
    renderDisabled();
  });

  // ---- data ----
  // The lists (and server-mod switches) as the server last had them, to go back to when a save
  // fails and the server cannot be asked either.
  const snapshot = () => ({ enabled: state.enabled.map((m) => [m, m.serverMod]), disabled: state.disabled.slice() });
  let confirmed = { enabled: [], disabled: [] };
  function restore(lists) {
    state.enabled = lists.enabled.map(([m, serverMod]) => Object.assign(m, { serverMod }));
    state.disabled = lists.disabled.slice();
  }

  async function load() {
    const data = await get('/mods');
    state.enabled = data.enabledMods || [];
    state.disabled = (data.disabledMods || []).slice().sort(byName);
    state.unmanaged = (data.notManagedMods || []).slice()
      .sort((a, b) => String(a.directoryName).localeCompare(String(b.directoryName), undefined, { sensitivity: 'base' }));
    confirmed = snapshot();
    for (const dir of [...unmanagedErrors.keys()]) {
      if (!state.unmanaged.some((m) => m.directoryName === dir)) unmanagedErrors.delete(dir);
    }
    schedulePoll();
  }

  async function reload() {
    try {
      await load();
    } catch (e) {
      showError(e, 'Could not reload the mods');
      return false;
    }
    if (alive) renderAll();
    return true;
  }

  // Mods being installed change their status by themselves: look again now and then.
  function schedulePoll() {
    clearTimeout(pollTimer);
    const installing = [...state.enabled, ...state.disabled].some((m) => m.status === 'INSTALLING');
    if (alive && installing && document.visibilityState === 'visible') pollTimer = setTimeout(reload, POLL_MS);
  }
  const onVisibility = () => {
    if (document.visibilityState === 'visible') schedulePoll();
    else clearTimeout(pollTimer);
  };
  document.addEventListener('visibilitychange', onVisibility);

  // Saves the whole enabled list in order. Changes are shown at once and saved one after
  // another; a failure shows what the server has (reloaded, or else as last saved).
  function saveEnabled(message) {
    const mods = state.enabled.map((m) => ({ workshopFileId: m.workshopFileId, serverMod: !!m.serverMod }));
    const lists = snapshot();
    saving = saving.then(async () => {
      try {
        await post('/mods/enabled', { mods });
        confirmed = lists;
        if (message) toast(message, 'success');
      } catch (e) {
        showError(e, 'The enabled mods were not saved');
        if (!(await reload()) && alive) {
          restore(confirmed);
          renderAll();
        }
      }
    });
    return saving;
  }

  // ---- changes to the enabled list ----
  function move(m, delta) {
    const j = moveBy(state.enabled, m, delta);
    if (j < 0) return;
    renderAll();
    saveEnabled(`${m.name} moved to position ${j + 1}`);
  }

  function place(m, index) {
    const from = state.enabled.indexOf(m);
    if (from >= 0) {
      state.enabled.splice(from, 1);
      if (from < index) index--;
      if (from === index) {
        state.enabled.splice(from, 0, m);
        return;
      }
    } else {
      const d = state.disabled.indexOf(m);
      if (d < 0) return;
      state.disabled.splice(d, 1);
    }
    state.enabled.splice(Math.max(0, Math.min(index, state.enabled.length)), 0, m);
    renderAll();
    saveEnabled(from < 0 ? `${m.name} enabled` : `${m.name} moved to position ${state.enabled.indexOf(m) + 1}`);
  }

  function disable(m) {
    const i = state.enabled.indexOf(m);
    if (i < 0) return;
    state.enabled.splice(i, 1);
    state.disabled.push(m);
    state.disabled.sort(byName);
    renderAll();
    saveEnabled(`${m.name} disabled`);
  }

  // ---- drag and drop between and within the lists ----
  const dnd = dragAndDrop({
    root, type: DRAG_TYPE, itemSelector: 'li.mod', keyOf: (m) => String(m.workshopFileId), liKey: (li) => li.dataset.id,
    ordered: () => state.enabled, place, remove: disable,
  });
  if (can.update) {
    dnd.wire(enabledList, true);
    dnd.wire(disabledList, false);
  }

  // ---- rendering ----
  function matches(m) {
    if (!state.search) return true;
    return [m.name, m.directoryName, String(m.workshopFileId)].some((v) => v && String(v).toLowerCase().includes(state.search));
  }

  // Re-rendering replaces the buttons: the keyboard focus goes back to the same control (by its
  // data-focus key), or to a neighbour of it.
  function renderAll() {
    const key = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.focus : null;
    renderEnabled();
    renderDisabled();
    renderUnmanaged();
    if (!key) return;
    const find = (k) => root.querySelector(`[data-focus="${CSS.escape(k)}"]:not(:disabled)`);
    const [kind, id] = key.split(':');
    const opposite = { up: 'down', down: 'up' }[kind];
    const target = find(key) || (opposite && find(`${opposite}:${id}`))
      || root.querySelector(`li.mod[data-id="${CSS.escape(id)}"] [data-focus]:not(:disabled)`);
    if (target) target.focus();
  }

  function renderEnabled() {
    const total = state.enabled.reduce((sum, m) => sum + (Number(m.sizeBytes) || 0), 0);
    enabledCount.textContent = state.enabled.length ? `(${state.enabled.length}, ${formatBytes(total)})` : '(0)';
    clear(enabledList);
    if (!state.enabled.length) {
      enabledList.append(el('li', { class: 'empty', text: can.update
        ? 'No mod is enabled. Enable mods from the installed mods, or drag them here.' : 'No mod is enabled.' }));
    }
    state.enabled.forEach((m, i) => enabledList.append(modItem(m, i)));
  }

  function renderDisabled() {
    const shown = state.disabled.filter(matches);
    disabledCount.textContent = shown.length === state.disabled.length
      ? `(${state.disabled.length})` : `(${shown.length} of ${state.disabled.length})`;
    clear(disabledList);
    emptyFilter.hidden = !(state.disabled.length && !shown.length);
    if (!state.disabled.length) {
      disabledList.append(el('li', { class: 'empty', text: state.enabled.length
        ? 'Every installed mod is enabled.' : 'No mod is installed yet: install one from the Steam Workshop page, upload a .zip on this page, or put its folder into the mods directory.' }));
    }
    for (const m of shown) disabledList.append(modItem(m, -1));
  }

  function renderUnmanaged() {
    unmanagedCount.textContent = `(${state.unmanaged.length})`;
    unmanagedSection.hidden = !state.unmanaged.length;
    clear(unmanagedList, state.unmanaged.map(unmanagedItem));
  }

  function statusBadge(status) {
    const s = STATUS[status] || { text: String(status || 'unknown').toLowerCase(), kind: '' };
    return el('span', { class: ['badge', s.kind && `badge-${s.kind}`], text: s.text, title: s.hint || null });
  }

  // The Workshop preview, or the first letter of the name.
  function preview(m) {
    const letter = () => el('span', { class: 'mod-thumb mod-thumb-empty', 'aria-hidden': 'true',
      text: (String(m.name || '').replace(/^[^\p{L}\p{N}]+/u, '')[0] || '?') });
    if (!m.previewUrl) return letter();
    const img = el('img', { class: 'mod-thumb', src: m.previewUrl, alt: '', loading: 'lazy', referrerpolicy: 'no-referrer', width: 40, height: 40 });
    img.addEventListener('error', () => img.replaceWith(letter()));
    return img;
  }

  function workshopLink(m) {
    if (!m.workshopUrl) return null;
    return el('a', {
      class: 'btn btn-small btn-ghost', href: m.workshopUrl, target: '_blank', rel: 'noopener noreferrer',
      'aria-label': `Workshop page of ${m.name}`, title: 'Open the Steam Workshop page',
    }, 'Workshop ↗');
  }

  function meta(m) {
    return [m.directoryName, formatBytes(m.sizeBytes), m.workshopFileId ? `id ${m.workshopFileId}` : 'no workshop id',
      m.lastWorkshopUpdateDateTime ? `updated ${m.lastWorkshopUpdateDateTime}` : null].filter(Boolean).join(' · ');
  }

  function modItem(m, index) {
    const enabled = index >= 0;
    const id = String(m.workshopFileId);
    const item = el('li', {
      class: ['mod', enabled && 'is-enabled'], draggable: can.update ? 'true' : null, dataset: { id, dir: m.directoryName },
    });
    const serverBadge = el('span', { class: 'badge badge-run', text: 'server mod', hidden: !(enabled && m.serverMod) });
    const controls = el('div', { class: 'mod-controls' });
    if (can.update && enabled) {
      const sw = toggleSwitch('Server mod', !!m.serverMod, async (on) => {
        m.serverMod = on;
        serverBadge.hidden = !on;
        await saveEnabled(`${m.name}: ${on ? 'loaded as a server mod (-serverMod)' : 'loaded by clients too (-mod)'}`);
      });
      sw.input.setAttribute('aria-label', `${m.name} is a server mod`);
      sw.input.dataset.focus = `server:${id}`;
      sw.root.title = 'Server mods are loaded by the server only (-serverMod); clients do not need them.';
      controls.append(sw.root,
        el('button', { type: 'button', class: 'btn btn-small btn-icon', 'aria-label': `Move ${m.name} up`, title: 'Move up',
          disabled: index === 0, onclick: () => move(m, -1), dataset: { focus: `up:${id}` } }, '↑'),
        el('button', { type: 'button', class: 'btn btn-small btn-icon', 'aria-label': `Move ${m.name} down`, title: 'Move down',
          disabled: index === state.enabled.length - 1, onclick: () => move(m, 1), dataset: { focus: `down:${id}` } }, '↓'));
    }
    if (can.update) {
      controls.append(el('button', {
        type: 'button', class: ['btn', 'btn-small', !enabled && 'btn-primary'], 'aria-label': `${enabled ? 'Disable' : 'Enable'} ${m.name}`,
        onclick: () => (enabled ? disable(m) : place(m, state.enabled.length)), dataset: { focus: `${enabled ? 'disable' : 'enable'}:${id}` },
      }, enabled ? 'Disable' : 'Enable'));
    }
    add(controls, workshopLink(m));
    if (can.remove) {
      controls.append(button('Delete', () => deleteMod(m), { kind: 'small danger', 'aria-label': `Delete ${m.name}`, dataset: { focus: `delete:${id}` } }));
    }
    item.append(el('div', { class: 'mod-row' },
      can.update ? el('span', { class: 'drag-handle', 'aria-hidden': 'true', title: 'Drag to move' }, '⠿') : null,
      enabled ? el('span', { class: 'position', text: `${index + 1}.` }) : null,
      preview(m),
      el('div', { class: 'mod-title' },
        el('span', { class: 'mod-name' }, el('span', { text: m.name }), ' ', statusBadge(m.status), ' ', serverBadge),
        el('span', { class: 'meta', text: meta(m) })),
      controls));

    if (can.update) dnd.draggable(item, m, m.name);
    return item;
  }

  function unmanagedItem(m) {
    const dir = m.directoryName;
    const error = el('p', { class: 'field-error', role: 'alert', text: unmanagedErrors.get(dir) || '', hidden: !unmanagedErrors.has(dir) });
    const controls = el('div', { class: 'mod-controls' });
    if (can.update) {
      const manage = button('Manage', async () => {
        unmanagedErrors.delete(dir);
        error.hidden = true;
        try {
          await busy(manage, () => post('/mods/manage', { name: dir }));
          toast(`${m.name} is managed now`, 'success');
        } catch (e) {
          if (e.authLost) return;
          const why = e.code === 'MOD_ID_CANNOT_BE_ZERO'
            ? `Cannot manage ${dir}: it has no Steam Workshop id (publishedid in its meta.cpp). ${e.message}.`
            : e.status === 409 ? `Cannot manage ${dir}: ${e.message}.` : `Cannot manage ${dir}: ${e.message}`;
          unmanagedErrors.set(dir, why);
        }
        await reload();
      }, { kind: 'small primary', 'aria-label': `Manage ${dir}`, dataset: { focus: `manage:${dir}` } });
      controls.append(manage);
    }
    add(controls, workshopLink(m));
    if (can.remove) {
      controls.append(button('Delete', async () => {
        const ok = await confirmDialog('Delete folder?',
          `Delete the folder “${dir}” (${formatBytes(m.sizeBytes)}) from the mods directory with everything in it? This cannot be undone.`,
          { confirmText: 'Delete', danger: true });
        if (!ok) return;
        try {
          await del('/mods/not-managed', { directoryName: dir });
          toast(`${dir} deleted`, 'success');
        } catch (e) {
          showError(e, `${dir} was not deleted`);
        }
        await reload();
      }, { kind: 'small danger', 'aria-label': `Delete folder ${dir}` }));
    }
    return el('li', { class: 'mod unmanaged', dataset: { dir } },
      el('div', { class: 'mod-row' },
        preview(m),
        el('div', { class: 'mod-title' },
          el('span', { class: 'mod-name' }, el('span', { text: m.name }), ' ',
            m.workshopFileId ? null : el('span', { class: 'badge badge-warn', text: 'no workshop id' })),
          el('span', { class: 'meta', text: meta(m) })),
        controls),
      error);
  }

  async function deleteMod(m) {
    const ok = await confirmDialog('Delete mod?',
      `Delete “${m.name}” and its folder ${m.directoryName} (${formatBytes(m.sizeBytes)})? `
      + 'A Workshop download is only unlinked from the mods directory. This cannot be undone.',
      { confirmText: 'Delete', danger: true });
    if (!ok) return;
    await saving;
    try {
      await del('/mods', { name: m.name });
      toast(`${m.name} deleted`, 'success');
    } catch (e) {
      showError(e, `${m.name} was not deleted`);
    }
    await reload();
  }

  // ---- upload ----
  const uploads = can.upload ? uploadArea({
    accept: '.zip,.ZIP,application/zip',
    dropText: 'Drop .zip mod archives here',
    existsPath: (name) => `/mods-files/${enc(name)}/exists`,
    uploadPath: '/mods-files',
    replaceTitle: 'Replace mod folder?',
    replaceText: (name) => `The mod folder that “${name}” unpacks to exists already. Replace it with the contents of this archive?`,
    processingText: 'Unpacking…',
    onFinished: reload,
  }) : null;
  const stop = () => {
    alive = false;
    clearTimeout(pollTimer);
    document.removeEventListener('visibilitychange', onVisibility);
    if (uploads) uploads.destroy();
  };

  // ---- page ----
  const refresh = button('Refresh', (e) => busy(e.currentTarget, reload), { 'aria-label': 'Look at the mods directory again' });
  const header = pageHeader('Mods', refresh);
  try {
    await load();
  } catch (e) {
    root.append(header, errorPanel(e, 'the mod list'));
    return stop;
  }
  root.append(header);
  if (uploads) {
    root.append(el('section', { class: 'card upload-section', 'aria-labelledby': 'mod-upload-h' },
      el('div', { class: 'section-head' }, el('h2', { id: 'mod-upload-h', text: 'Upload mods' }), uploads.clearButton),
      el('p', { class: 'muted', text: 'A .zip archive of one mod (its addons folder, meta.cpp or mod.cpp). '
        + 'It is unpacked into the mods directory as a folder named after the archive; manage the folder afterwards.' }),
      uploads.dropZone, uploads.list));
  }
  root.append(el('div', { class: 'mod-columns' },
    el('section', { class: 'card', 'aria-labelledby': 'enabled-h' },
      el('div', { class: 'section-head' }, el('h2', { id: 'enabled-h' }, 'Enabled mods ', enabledCount)),
      el('p', { class: 'muted', text: can.update
        ? 'Loaded in this order. Drag a mod or use the arrow buttons to change the order.' : 'Loaded in this order.' }),
      enabledList),
    el('section', { class: 'card', 'aria-labelledby': 'disabled-h' },
      el('div', { class: 'section-head' }, el('h2', { id: 'disabled-h' }, 'Installed mods ', disabledCount)),
      el('div', { class: 'mod-search' }, searchInput),
      emptyFilter, disabledList)),
  unmanagedSection);
  renderAll();
  return stop;
}
