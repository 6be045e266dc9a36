// Missions: the rotation (enabled missions in order, drag and drop or up/down buttons), the
// other missions with search and a world filter, uploads with a progress bar per file, missions
// added by template, and per mission its difficulty, parameters, download and delete.
import { get, post, put, del, enc, download, hasAuthority } from '../api.js';
import { dragAndDrop, moveBy } from '../reorder.js';
import { uploadArea } from '../uploads.js';
import {
  el, add, clear, field, select, button, busy, toast, showError, errorPanel, confirmDialog,
  formatBytes, pageHeader,
} from '../ui.js';

const DIFFICULTIES = [
  { value: 'RECRUIT', label: 'Recruit' }, { value: 'REGULAR', label: 'Regular' },
  { value: 'VETERAN', label: 'Veteran' }, { value: 'CUSTOM', label: 'Custom' },
];
const DRAG_TYPE = 'application/x-aswg-mission';

export async function mount(root) {
  const can = {
    update: hasAuthority('MISSIONS_UPDATE'),
    upload: hasAuthority('MISSIONS_UPLOAD'),
    add: hasAuthority('MISSIONS_ADD'),
    remove: hasAuthority('MISSIONS_DELETE'),
    download: hasAuthority('MISSIONS_DOWNLOAD'),
  };
  const state = { enabled: [], disabled: [], search: '', world: '', open: new Set() };
  const details = new Map();     // mission id -> {node, sig}: kept across renders (unsaved edits)
  let saving = Promise.resolve();
  let alive = true;

  const enabledList = el('ol', { class: 'mission-list', id: 'rotation', 'aria-label': 'Mission rotation' });
  const disabledList = el('ul', { class: 'mission-list', id: 'available', 'aria-label': 'Available missions' });
  const enabledCount = el('span', { class: 'count' });
  const disabledCount = el('span', { class: 'count' });
  const searchInput = el('input', { type: 'search', placeholder: 'Name, template or briefing', autocomplete: 'off' });
  const worldSelect = el('select', {});
  const emptyFilter = el('p', { class: 'muted', hidden: true, text: 'No mission matches the filter.' });

  searchInput.addEventListener('input', () => {
    state.search = searchInput.value.trim().toLowerCase();
    renderDisabled();
  });
  worldSelect.addEventListener('change', () => {
    state.world = worldSelect.value;
    renderDisabled();
  });

  // ---- data ----
  let confirmed = { enabled: [], disabled: [] };   // the lists as the server last had them
  const remember = () => { confirmed = { enabled: state.enabled.slice(), disabled: state.disabled.slice() }; };

  async function load() {
    const data = await get('/missions');
    state.enabled = data.enabledMissions || [];
    state.disabled = (data.disabledMissions || []).slice()
      .sort((a, b) => String(a.name).localeCompare(String(b.name), undefined, { sensitivity: 'base' }));
    remember();
  }

  async function reload() {
    try {
      await load();
    } catch (e) {
      showError(e, 'Could not reload the missions');
      return false;
    }
    if (alive) renderLists();
    return true;
  }

  // Saves the rotation (enabled templates in order). Changes are applied locally first and saved
  // one after another; a failure shows what the server has (reloaded, or else as last saved).
  function saveRotation(message) {
    const templates = state.enabled.map((m) => m.template);
    const lists = { enabled: state.enabled.slice(), disabled: state.disabled.slice() };
    saving = saving.then(async () => {
      try {
        await post('/missions/enabled', { missionTemplates: templates });
        confirmed = lists;
        if (message) toast(message, 'success');
      } catch (e) {
        showError(e, 'The rotation was not saved');
        if (!(await reload()) && alive) {
          state.enabled = confirmed.enabled.slice();
          state.disabled = confirmed.disabled.slice();
          renderLists();
        }
      }
    });
    return saving;
  }

  // PUT of one mission, queued behind rotation saves so that the two never cross.
  function saveMission(m, changes) {
    const run = saving.then(async () => {
      const body = {
        id: m.id, name: m.name, template: m.template, difficulty: m.difficulty,
        enabled: m.enabled, parameters: m.parameters || [], ...changes,
      };
      await put(`/missions/id/${m.id}`, body);
      Object.assign(m, changes);
    });
    saving = run.catch(() => {});
    return run;
  }

  // ---- rotation changes ----
  function move(m, delta) {
    const j = moveBy(state.enabled, m, delta);
    if (j < 0) return;
    renderLists();
    saveRotation(`${m.name} moved to position ${j + 1}`);
  }

  function placeInRotation(template, index) {
    let m = state.enabled.find((x) => x.template === template);
    const from = m ? state.enabled.indexOf(m) : -1;
    if (m) {
      state.enabled.splice(from, 1);
      if (from < index) index--;
    } else {
      m = state.disabled.find((x) => x.template === template);
      if (!m) return;
      state.disabled.splice(state.disabled.indexOf(m), 1);
      m.enabled = true;
    }
    if (from === index) {
      state.enabled.splice(from, 0, m);
      return;
    }
    state.enabled.splice(Math.max(0, Math.min(index, state.enabled.length)), 0, m);
    renderLists();
    saveRotation(from < 0 ? `${m.name} enabled` : `${m.name} moved to position ${state.enabled.indexOf(m) + 1}`);
  }

  function setEnabled(m, enabled) {
    if (enabled) {
      placeInRotation(m.template, state.enabled.length);
      return;
    }
    const i = state.enabled.indexOf(m);
    if (i < 0) return;
    state.enabled.splice(i, 1);
    m.enabled = false;
    state.disabled.push(m);
    state.disabled.sort((a, b) => String(a.name).localeCompare(String(b.name), undefined, { sensitivity: 'base' }));
    renderLists();
    saveRotation(`${m.name} disabled`);
  }

  // ---- drag and drop between and within the lists ----
  const dnd = dragAndDrop({
    root, type: DRAG_TYPE, itemSelector: 'li.mission', keyOf: (m) => m.template, liKey: (li) => li.dataset.template,
    ordered: () => state.enabled, place: (m, index) => placeInRotation(m.template, index),
    remove: (m) => setEnabled(m, false),
  });
  if (can.update) {
    dnd.wire(enabledList, true);
    dnd.wire(disabledList, false);
  }

  // ---- rendering ----
  function worldOf(m) {
    return m.worldName || '';
  }

  function renderWorlds() {
    const worlds = new Map();
    for (const m of [...state.enabled, ...state.disabled]) {
      const w = worldOf(m);
      if (w && !worlds.has(w.toLowerCase())) worlds.set(w.toLowerCase(), w);
    }
    const sorted = [...worlds.entries()].sort((a, b) => a[0].localeCompare(b[0]));
    if (state.world && !worlds.has(state.world)) state.world = '';
    clear(worldSelect, el('option', { value: '', text: 'All worlds' }),
      ...sorted.map(([key, label]) => el('option', { value: key, text: label, selected: key === state.world })));
  }

  function matches(m) {
    if (state.world && worldOf(m).toLowerCase() !== state.world) return false;
    if (!state.search) return true;
    return [m.name, m.template, m.briefingName, m.onLoadName, worldOf(m)]
      .some((v) => v && String(v).toLowerCase().includes(state.search));
  }

  function renderLists() {
    const focusKey = document.activeElement && document.activeElement.dataset
      ? document.activeElement.dataset.focus : null;
    renderWorlds();
    renderEnabled();
    renderDisabled();
    if (focusKey) {
      const again = root.querySelector(`[data-focus="${CSS.escape(focusKey)}"]:not(:disabled)`);
      const [kind, ...rest] = focusKey.split(':');
      const template = rest.join(':');
      const opposite = { up: 'down', down: 'up' }[kind];
      const sibling = opposite && root.querySelector(`[data-focus="${CSS.escape(`${opposite}:${template}`)}"]:not(:disabled)`);
      const fallback = sibling || root.querySelector(`li.mission[data-template="${CSS.escape(template)}"] [data-focus]:not(:disabled)`);
      (again || fallback || enabledList).focus?.();
    }
  }

  function renderEnabled() {
    enabledCount.textContent = `(${state.enabled.length})`;
    clear(enabledList);
    if (!state.enabled.length) {
      enabledList.append(el('li', { class: 'empty', text: can.update
        ? 'No mission is enabled. Enable missions from the list of available missions, or drag them here.'
        : 'No mission is enabled.' }));
    }
    state.enabled.forEach((m, i) => enabledList.append(missionItem(m, i)));
  }

  function renderDisabled() {
    const shown = state.disabled.filter(matches);
    disabledCount.textContent = shown.length === state.disabled.length
      ? `(${state.disabled.length})` : `(${shown.length} of ${state.disabled.length})`;
    clear(disabledList);
    emptyFilter.hidden = !(state.disabled.length && !shown.length);
    if (!state.disabled.length) disabledList.append(el('li', { class: 'empty', text: 'Every mission is in the rotation.' }));
    for (const m of shown) disabledList.append(missionItem(m, -1));
  }

  function missionItem(m, index) {
    const enabled = index >= 0;
    const key = m.template;
    const detailsId = `mission-details-${m.id}`;
    const isOpen = state.open.has(m.id);
    const toggleDetails = el('button', {
      type: 'button', class: 'btn btn-small', 'aria-expanded': String(isOpen), 'aria-controls': detailsId,
      'aria-label': `Details of ${m.name} (${m.template})`, dataset: { focus: `details:${key}` },
    }, isOpen ? 'Hide details' : 'Details');
    const item = el('li', {
      class: ['mission', enabled && 'is-enabled'], draggable: can.update ? 'true' : null,
      dataset: { template: m.template },
    });
    const controls = el('div', { class: 'mission-controls' });
    if (can.update) {
      const diff = select(DIFFICULTIES, m.difficulty, { 'aria-label': `Difficulty of ${m.name}`, class: 'difficulty', dataset: { focus: `difficulty:${key}` } });
      diff.addEventListener('change', async () => {
        const previous = m.difficulty;
        const focused = document.activeElement === diff;
        diff.disabled = true;
        try {
          await saveMission(m, { difficulty: diff.value });
          toast(`${m.name}: difficulty ${diff.value.toLowerCase()}`, 'success');
        } catch (e) {
          diff.value = previous;
          showError(e, 'The difficulty was not saved');
        } finally {
          diff.disabled = false;
          if (focused) diff.focus();
        }
      });
      controls.append(diff);
      if (enabled) {
        controls.append(
          el('button', { type: 'button', class: 'btn btn-small btn-icon', 'aria-label': `Move ${m.name} up`, title: 'Move up',
            disabled: index === 0, onclick: () => move(m, -1), dataset: { focus: `up:${key}` } }, '↑'),
          el('button', { type: 'button', class: 'btn btn-small btn-icon', 'aria-label': `Move ${m.name} down`, title: 'Move down',
            disabled: index === state.enabled.length - 1, onclick: () => move(m, 1), dataset: { focus: `down:${key}` } }, '↓'));
      }
      controls.append(el('button', {
        type: 'button', class: ['btn', 'btn-small', enabled ? '' : 'btn-primary'], onclick: () => setEnabled(m, !enabled),
        dataset: { focus: `${enabled ? 'disable' : 'enable'}:${key}` }, 'aria-label': `${enabled ? 'Disable' : 'Enable'} ${m.name}`,
      }, enabled ? 'Disable' : 'Enable'));
    }
    controls.append(toggleDetails);

    const meta = [m.template, worldOf(m), m.sizeBytes ? formatBytes(m.sizeBytes) : null,
      m.source && m.source !== 'FILE' ? m.source.toLowerCase() : null].filter(Boolean);
    item.append(el('div', { class: 'mission-row' },
      can.update ? el('span', { class: 'drag-handle', 'aria-hidden': 'true', title: 'Drag to move' }, '⠿') : null,
      enabled ? el('span', { class: 'position', text: `${index + 1}.` }) : null,
      el('div', { class: 'mission-title' },
        el('span', { class: 'mission-name', text: m.name }),
        m.briefingName && m.briefingName !== m.name ? el('span', { class: 'briefing', text: m.briefingName }) : null,
        el('span', { class: 'meta', text: meta.join(' · ') })),
      controls));

    const panel = detailsPanel(m, detailsId);
    panel.hidden = !isOpen;
    item.append(panel);
    toggleDetails.addEventListener('click', () => {
      const open = panel.hidden;
      panel.hidden = !open;
      toggleDetails.setAttribute('aria-expanded', String(open));
      toggleDetails.textContent = open ? 'Hide details' : 'Details';
      if (open) state.open.add(m.id);
      else state.open.delete(m.id);
    });

    if (can.update) dnd.draggable(item, m, m.template);
    return item;
  }

  // The details of one mission: facts, name and parameters (saved together), download, delete.
  function detailsPanel(m, id) {
    const sig = JSON.stringify(m);
    const cached = details.get(m.id);
    if (cached && (cached.sig === sig || cached.node.dataset.dirty === 'true')) return cached.node;
    const node = el('div', { class: 'mission-details', id });
    const facts = el('dl', { class: 'facts' },
      fact('Template', m.template), fact('Briefing name', m.briefingName || '–'),
      m.onLoadName && m.onLoadName !== m.briefingName ? fact('Loading screen', m.onLoadName) : null,
      fact('World', worldOf(m) || '–'), fact('Size', m.sizeBytes ? formatBytes(m.sizeBytes) : 'no file'),
      fact('Source', (m.source || 'FILE').toLowerCase()));
    node.append(facts);

    if (can.update) {
      const nameInput = el('input', { type: 'text', value: m.name, maxlength: 255, required: true });
      const nameField = field('Name', nameInput);
      const params = parametersEditor(m);
      const saveBtn = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Save mission');
      const formError = el('p', { class: 'form-error', role: 'alert', hidden: true });
      const form = el('form', { class: 'mission-form' }, nameField.root, params.root, formError,
        el('div', { class: 'form-actions' }, saveBtn));
      form.addEventListener('input', () => { node.dataset.dirty = 'true'; });
      form.addEventListener('change', () => { node.dataset.dirty = 'true'; });
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        formError.hidden = true;
        nameField.error('');
        if (!nameInput.value.trim()) {
          nameField.error('The name cannot be empty.');
          nameInput.focus();
          return;
        }
        const problem = params.problem();
        if (problem) {
          formError.textContent = problem;
          formError.hidden = false;
          return;
        }
        try {
          await busy(saveBtn, () => saveMission(m, { name: nameInput.value.trim(), parameters: params.value() }));
          node.dataset.dirty = 'false';
          toast(`${m.name} saved`, 'success');
          details.delete(m.id);
          renderLists();
        } catch (err) {
          if (err.authLost) return;
          formError.textContent = err.message;
          formError.hidden = false;
        }
      });
      node.append(form);
    } else if ((m.parameters || []).length) {
      node.append(el('h4', { text: 'Parameters' }), el('ul', {}, m.parameters.map((p) => el('li', { text: `${p.name} = ${p.value}` }))));
    }

    const actions = el('div', { class: 'form-actions mission-actions' });
    if (can.download && m.sizeBytes > 0) {
      const dl = button('Download', async () => {
        try {
          await busy(dl, () => download(`/missions-files/${m.id}/download`, `${m.template}.pbo`));
        } catch (e) {
          showError(e, 'Download failed');
        }
      }, { 'aria-label': `Download ${m.name}` });
      actions.append(dl);
    }
    if (can.remove) {
      actions.append(button('Delete', async () => {
        const ok = await confirmDialog('Delete mission?',
          `Delete “${m.name}” (${m.template})${m.sizeBytes ? ' and its file' : ''}? This cannot be undone.`,
          { confirmText: 'Delete', danger: true });
        if (!ok) return;
        try {
          await del('/missions/template', { template: m.template });
          toast(`${m.name} deleted`, 'success');
          state.open.delete(m.id);
          details.delete(m.id);
          await reload();
        } catch (e) {
          showError(e, 'The mission was not deleted');
        }
      }, { kind: 'danger', 'aria-label': `Delete ${m.name}` }));
    }
    if (actions.childNodes.length) node.append(actions);
    details.set(m.id, { node, sig });
    return node;
  }

  // ---- upload ----
  const uploads = can.upload ? uploadArea({
    accept: '.pbo,.PBO',
    dropText: 'Drop .pbo mission files here',
    existsPath: (name) => `/missions-files/${enc(name)}/exists`,
    uploadPath: '/missions-files',
    replaceTitle: 'Replace mission file?',
    replaceText: (name) => `A mission file named “${name}” already exists. Upload it again and replace the existing file?`,
    onFinished: reload,
  }) : null;
  const stop = () => {
    alive = false;
    if (uploads) uploads.destroy();
  };

  // ---- add by template ----
  function templateForm() {
    const name = el('input', { type: 'text', maxlength: 255, placeholder: 'Escape from Stratis' });
    const tpl = el('input', { type: 'text', maxlength: 255, required: true, placeholder: 'MP_COOP_m01.Stratis', spellcheck: 'false' });
    const nameField = field('Name', name, { hint: 'Shown in this list; defaults to the template.' });
    const tplField = field('Template', tpl, { hint: 'Mission class name with the world, e.g. co10_Escape.Altis (no spaces).' });
    const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Add mission');
    const form = el('form', { class: 'inline-form' }, nameField.root, tplField.root, el('div', { class: 'form-actions' }, submit));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      tplField.error('');
      const template = tpl.value.trim();
      if (!template) {
        tplField.error('Enter the template.');
        tpl.focus();
        return;
      }
      if (/\s/.test(template)) {
        tplField.error('A template cannot contain spaces.');
        tpl.focus();
        return;
      }
      try {
        await busy(submit, () => post('/missions/template', { name: name.value.trim() || template, template }));
        toast(`${name.value.trim() || template} added`, 'success');
        name.value = '';
        tpl.value = '';
        await reload();
      } catch (err) {
        if (!err.authLost) tplField.error(err.message);
      }
    });
    return el('details', { class: 'card add-template' }, el('summary', { text: 'Add a mission by template' }),
      el('p', { class: 'muted', text: 'For missions that come with the game or a mod and need no file in mpmissions.' }), form);
  }

  // ---- page ----
  try {
    await load();
  } catch (e) {
    root.append(pageHeader('Missions'), errorPanel(e, 'the mission list'));
    return stop;
  }

  root.append(pageHeader('Missions'));
  if (uploads) {
    root.append(el('section', { class: 'card upload-section', 'aria-labelledby': 'upload-h' },
      el('div', { class: 'section-head' }, el('h2', { id: 'upload-h', text: 'Upload missions' }), uploads.clearButton),
      uploads.dropZone, uploads.list));
  }
  if (can.add) root.append(templateForm());
  root.append(el('div', { class: 'mission-columns' },
    el('section', { class: 'card', 'aria-labelledby': 'rotation-h' },
      el('div', { class: 'section-head' }, el('h2', { id: 'rotation-h' }, 'Rotation ', enabledCount)),
      el('p', { class: 'muted', text: can.update
        ? 'Enabled missions, played in this order. Drag a mission or use the arrow buttons to change the order.'
        : 'Enabled missions, played in this order.' }),
      enabledList),
    el('section', { class: 'card', 'aria-labelledby': 'available-h' },
      el('div', { class: 'section-head' }, el('h2', { id: 'available-h' }, 'Available missions ', disabledCount)),
      el('div', { class: 'filters' }, field('Search', searchInput).root, field('World', worldSelect).root),
      emptyFilter, disabledList)));
  renderLists();
  return stop;
}

function fact(label, value) {
  return [el('dt', { text: label }), el('dd', { text: value })];
}

// Parameter editor: a select for each parameter the mission declares (values from the PBO),
// free name/value rows for the others.
function parametersEditor(m) {
  const declared = Array.isArray(m.availableParameters) ? m.availableParameters.filter((p) => p && p.name) : [];
  const current = new Map((m.parameters || []).map((p) => [p.name, String(p.value)]));
  const declaredNames = new Set(declared.map((p) => p.name.toLowerCase()));
  const root = el('fieldset', { class: 'params' }, el('legend', { text: 'Parameters' }));
  const declaredControls = [];
  for (const p of declared) {
    const values = Array.isArray(p.values) ? p.values : [];
    const texts = Array.isArray(p.texts) ? p.texts : [];
    const value = current.has(p.name) ? current.get(p.name) : '';
    let control;
    if (values.length) {
      const options = [{ value: '', label: `Mission default${p.default !== null && p.default !== undefined ? ` (${labelFor(p.default, values, texts)})` : ''}` }]
        .concat(values.map((v, i) => ({ value: String(v), label: texts[i] ? `${texts[i]} (${v})` : String(v) })));
      if (value && !values.map(String).includes(value)) options.push({ value, label: value });
      control = select(options, value);
    } else {
      control = el('input', { type: 'text', value, placeholder: p.default !== null && p.default !== undefined ? `default ${p.default}` : '' });
    }
    declaredControls.push({ name: p.name, control });
    root.append(field(p.title ? `${p.title} (${p.name})` : p.name, control).root);
  }
  const rows = el('div', { class: 'param-rows' });
  const addRow = (name = '', value = '') => {
    const n = el('input', { type: 'text', value: name, placeholder: 'Name', 'aria-label': 'Parameter name', spellcheck: 'false' });
    const v = el('input', { type: 'text', value, placeholder: 'Value', 'aria-label': 'Parameter value', spellcheck: 'false' });
    const row = el('div', { class: 'param-row' }, n, v,
      el('button', { type: 'button', class: 'btn btn-small btn-icon', 'aria-label': 'Remove parameter', title: 'Remove', onclick: () => { row.remove(); root.dispatchEvent(new Event('change', { bubbles: true })); } }, '×'));
    rows.append(row);
    return n;
  };
  for (const [name, value] of current) if (!declaredNames.has(name.toLowerCase())) addRow(name, value);
  add(root,
    declared.length ? el('p', { class: 'hint', text: 'Other parameters:' }) : null,
    !declared.length && !current.size ? el('p', { class: 'hint', text: 'This mission declares no parameters. Add name/value pairs that its description.ext reads.' }) : null,
    rows,
    button('Add parameter', () => addRow().focus(), { kind: 'small' }));

  const collect = () => {
    const out = [];
    for (const { name, control } of declaredControls) if (control.value.trim() !== '') out.push({ name, value: control.value.trim() });
    for (const row of rows.children) {
      const [n, v] = row.querySelectorAll('input');
      if (n.value.trim()) out.push({ name: n.value.trim(), value: v.value.trim() });
    }
    return out;
  };
  return {
    root,
    value: collect,
    problem() {
      const seen = new Set();
      for (const row of rows.children) {
        const [n, v] = row.querySelectorAll('input');
        if (!n.value.trim() && v.value.trim()) return 'Every parameter with a value needs a name.';
      }
      for (const p of collect()) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(p.name)) return `“${p.name}” is not a valid parameter name (letters, digits and _).`;
        if (seen.has(p.name.toLowerCase())) return `The parameter “${p.name}” is set twice.`;
        seen.add(p.name.toLowerCase());
      }
      return '';
    },
  };
}

function labelFor(value, values, texts) {
  const i = values.map(String).indexOf(String(value));
  return i >= 0 && texts[i] ? texts[i] : String(value);
}
