// Mod presets: named lists of mods. Save the enabled mods as a preset, look into one, select it
// (its installed mods become the enabled mods, in its order), export it as an Arma 3 Launcher
// preset file, import such a file (mods not installed are queued for download), delete it.
import { get, post, put, del, enc, download, hasAuthority } from '../api.js';
import {
  el, clear, field, button, busy, toast, showError, errorPanel, confirmDialog, pageHeader, uid,
} from '../ui.js';

const WORKSHOP_URL = 'https://steamcommunity.com/sharedfiles/filedetails/?id=';
const MAX_NAME = 255;

// The preset name of an Arma 3 Launcher preset file (<meta name="arma:PresetName" content="…">).
// DOMParser runs no scripts and loads nothing.
function launcherPresetName(html) {
  try {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const meta = doc.querySelector('meta[name="arma:PresetName"]');
    return meta ? (meta.getAttribute('content') || '').trim() : '';
  } catch {
    return '';
  }
}

// Why a preset name cannot be used, or ''.
function nameProblem(name) {
  if (!name) return 'Enter a name.';
  if (name.length > MAX_NAME) return `A name has at most ${MAX_NAME} characters.`;
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'A name cannot contain control characters.';
  if (name.includes('/')) return 'A name cannot contain “/”.';
  // the API looks a preset up by id first: "12" would find the preset with id 12
  if (/^\d+$/.test(name)) return 'A name cannot be a number only.';
  return '';
}

export async function mount(root) {
  const can = {
    add: hasAuthority('MOD_PRESETS_ADD'),
    remove: hasAuthority('MOD_PRESETS_DELETE'),
    select: hasAuthority('MOD_PRESETS_SELECT'),
    mods: hasAuthority('MODS_VIEW'),
  };
  let presets = [];
  let installed = null;       // workshop id -> mod, when MODS_VIEW
  let enabled = [];
  const open = new Set();     // names whose mod list is shown
  let alive = true;

  const list = el('ul', { class: 'preset-list', id: 'presets', 'aria-label': 'Mod presets' });
  const count = el('span', { class: 'count' });

  async function loadMods() {
    if (!can.mods) return;
    const data = await get('/mods');
    enabled = data.enabledMods || [];
    installed = new Map([...(data.enabledMods || []), ...(data.disabledMods || [])].map((m) => [Number(m.workshopFileId), m]));
  }

  async function load() {
    const [data] = await Promise.all([get('/mods-presets'), loadMods()]);
    presets = (data && data.presets) || [];
  }

  async function reload() {
    try {
      await load();
    } catch (e) {
      showError(e, 'Could not reload the presets');
    }
    if (alive) render();
  }

  // ---- the list ----
  function render() {
    count.textContent = `(${presets.length})`;
    clear(list);
    if (!presets.length) list.append(el('li', { class: 'empty', text: 'No preset yet.' }));
    for (const name of presets) list.append(presetItem(name));
    renderSaveForm();
  }

  function presetItem(name) {
    const panelId = uid('preset');
    const panel = el('div', { class: 'preset-mods', id: panelId, hidden: true });
    const toggle = el('button', { type: 'button', class: 'btn btn-small', 'aria-expanded': 'false', 'aria-controls': panelId,
      'aria-label': `Mods of ${name}` }, 'Mods');
    const showPanel = async (show) => {
      panel.hidden = !show;
      toggle.setAttribute('aria-expanded', String(show));
      toggle.textContent = show ? 'Hide mods' : 'Mods';
      if (show) open.add(name);
      else open.delete(name);
      if (show) await fillPanel(name, panel);
    };
    toggle.addEventListener('click', () => showPanel(panel.hidden));
    const actions = el('div', { class: 'preset-actions' }, toggle);
    if (can.select) {
      const sel = button('Select', () => selectPreset(name, sel), { kind: 'small primary', 'aria-label': `Select ${name}` });
      actions.append(sel);
    }
    const exp = button('Export', async () => {
      try {
        await busy(exp, () => download(`/mods-presets/${enc(name)}/export`, `${name}.html`));
      } catch (e) {
        showError(e, 'Export failed');
      }
    }, { kind: 'small', 'aria-label': `Export ${name}`, title: 'Download as an Arma 3 Launcher preset (.html)' });
    actions.append(exp);
    if (can.remove) {
      actions.append(button('Delete', async () => {
        const ok = await confirmDialog('Delete preset?', `Delete the preset “${name}”? The mods themselves stay installed.`,
          { confirmText: 'Delete', danger: true });
        if (!ok) return;
        try {
          await del(`/mods-presets/${enc(name)}`);
          open.delete(name);
          toast(`Preset ${name} deleted`, 'success');
        } catch (e) {
          showError(e, `${name} was not deleted`);
        }
        await reload();
      }, { kind: 'small danger', 'aria-label': `Delete ${name}` }));
    }
    const item = el('li', { class: 'preset', dataset: { name } },
      el('div', { class: 'preset-row' }, el('span', { class: 'preset-name', text: name }), actions),
      panel);
    if (open.has(name)) showPanel(true);
    return item;
  }

  async function fillPanel(name, panel) {
    clear(panel, el('p', { class: 'loading', text: 'Loading…' }));
    try {
      const p = await get(`/mods-presets/${enc(name)}`);
      const entries = (p && p.entries) || [];
      if (!entries.length) {
        clear(panel, el('p', { class: 'muted', text: 'This preset holds no mods.' }));
        return;
      }
      const missing = installed ? entries.filter((e) => !installed.has(Number(e.modId))).length : 0;
      clear(panel,
        el('ol', { class: 'preset-entries', 'aria-label': `Mods of ${name}` }, entries.map((e) => el('li', {},
          el('span', { class: 'entry-name', text: e.name || `workshop item ${e.modId}` }), ' ',
          el('a', { href: `${WORKSHOP_URL}${e.modId}`, target: '_blank', rel: 'noopener noreferrer', class: 'meta', text: String(e.modId) }),
          installed && !installed.has(Number(e.modId)) ? [' ', el('span', { class: 'badge badge-warn', text: 'not installed' })] : null))),
        missing ? el('p', { class: 'hint', text: `${missing} of ${entries.length} mods are not installed: selecting the preset skips them.` }) : null);
    } catch (e) {
      if (!e.authLost) clear(panel, errorPanel(e, 'this preset'));
    }
  }

  async function selectPreset(name, btn) {
    const ok = await confirmDialog('Select preset?',
      `Enable the mods of “${name}” in its order? Every other mod is disabled.`, { confirmText: 'Select' });
    if (!ok) return;
    try {
      await busy(btn, () => post('/mods-presets/select', { name }));
    } catch (e) {
      showError(e, `${name} was not selected`);
      return;
    }
    try {
      await loadMods();
    } catch { /* the toast says less then */ }
    toast(can.mods ? `Preset ${name} selected: ${enabled.length} mod${enabled.length === 1 ? '' : 's'} enabled` : `Preset ${name} selected`, 'success');
    if (alive) render();
  }

  // ---- save the enabled mods ----
  const saveSummary = el('p', { class: 'muted' });
  const saveName = el('input', { type: 'text', maxlength: MAX_NAME, autocomplete: 'off', placeholder: 'Friday ops' });
  const saveField = field('Preset name', saveName);
  const saveBtn = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Save as preset');
  const saveForm = el('form', { class: 'inline-form preset-form', novalidate: true }, saveField.root, el('div', { class: 'form-actions' }, saveBtn));
  saveForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = saveName.value.trim();
    saveField.error(nameProblem(name));
    if (nameProblem(name)) {
      saveName.focus();
      return;
    }
    if (presets.includes(name)) {
      const ok = await confirmDialog('Replace preset?', `A preset named “${name}” exists. Replace its mods with the enabled mods?`,
        { confirmText: 'Replace' });
      if (!ok) return;
    }
    try {
      await busy(saveBtn, async () => {
        await loadMods();   // what is enabled now, not when the page was opened
        await put(`/mods-presets/${enc(name)}`, { modNames: enabled.map((m) => m.name) });
      });
      toast(`Preset ${name} saved with ${enabled.length} mod${enabled.length === 1 ? '' : 's'}`, 'success');
      saveName.value = '';
      open.delete(name);
      await reload();
    } catch (err) {
      if (!err.authLost) saveField.error(err.message);
    }
  });
  function renderSaveForm() {
    saveSummary.textContent = enabled.length
      ? `Enabled now (${enabled.length}): ${enabled.map((m) => m.name).join(', ')}`
      : 'No mod is enabled now: the preset would be empty.';
  }

  // ---- import an Arma 3 Launcher preset ----
  const importResult = el('p', { class: 'result', role: 'status', hidden: true });
  const importName = el('input', { type: 'text', maxlength: MAX_NAME, autocomplete: 'off', placeholder: 'The name in the file' });
  const importField = field('Save as', importName, { hint: 'Optional: a name for the preset instead of the one in the file.' });
  const importInput = el('input', { type: 'file', accept: '.html,.htm,text/html', class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true', id: uid('file') });
  const importBtn = button('Choose preset file…', () => importInput.click(), { kind: 'primary' });
  importInput.addEventListener('change', () => {
    const file = importInput.files[0];
    importInput.value = '';
    if (file) busy(importBtn, () => importFile(file));
  });
  function showImport(text, ok) {
    importResult.textContent = text;
    importResult.className = `result ${ok ? 'ok' : 'fail'}`;
    importResult.hidden = false;
  }
  async function importFile(file) {
    importResult.hidden = true;
    importField.error('');
    let html;
    try {
      html = await file.text();
    } catch (e) {
      showImport(`Cannot read ${file.name}: ${e.message}`, false);
      return;
    }
    // the Launcher's export is HTML with data-type="ModContainer" rows: anything else is said
    // here, in words, rather than by the API's parser
    if (html.includes('\u0000') || !/data-type\s*=\s*["']?ModContainer/i.test(html)) {
      showImport(`${file.name} is not an Arma 3 Launcher preset (the .html file the Launcher's “Export” writes).`, false);
      return;
    }
    const given = importName.value.trim();
    const name = given || launcherPresetName(html);
    if (given && nameProblem(given)) {
      importField.error(nameProblem(given));
      return;
    }
    if (!given && name && nameProblem(name)) {
      importField.error(`The preset name in ${file.name} cannot be used (${nameProblem(name)}): enter another one here.`);
      importName.focus();
      return;
    }
    if (name && presets.includes(name)) {
      const ok = await confirmDialog('Replace preset?', `A preset named “${name}” exists. Replace it with the mods of ${file.name}?`,
        { confirmText: 'Replace' });
      if (!ok) return;
    }
    try {
      const body = { html };
      if (given) body.name = given;
      const r = await post('/mods-presets/import-html', body);
      const queued = Number(r && r.queued) || 0;
      showImport(`Imported ${name ? `“${name}”` : file.name}. ${queued === 0 ? 'Every mod of it is installed: no download was queued.'
        : `${queued} missing mod${queued === 1 ? ' was' : 's were'} queued for download from the Steam Workshop.`}`, true);
      importName.value = '';
      if (name) open.add(name);
      await reload();
    } catch (e) {
      if (e.authLost) return;
      if (e.code === 'STEAM_CMD_NOT_INSTALLED') {
        showImport('Not imported: some mods of this preset are not installed, and they cannot be downloaded because SteamCMD '
          + 'is not set up. Set the steamcmd path in the Steam settings, or install those mods first.', false);
      } else if (e.status === 413) {
        showImport(`Not imported: ${file.name} is too large (${e.message}).`, false);
      } else {
        showImport(`Not imported: ${e.message}`, false);
      }
    }
  }

  // ---- page ----
  const header = pageHeader('Mod presets');
  try {
    await load();
  } catch (e) {
    root.append(header, errorPanel(e, 'the presets'));
    return () => { alive = false; };
  }
  root.append(header, el('section', { class: 'card', 'aria-labelledby': 'preset-list-h' },
    el('div', { class: 'section-head' }, el('h2', { id: 'preset-list-h' }, 'Presets ', count)), list));
  const forms = el('div', { class: 'preset-forms' });
  if (can.add && can.mods) {
    forms.append(el('section', { class: 'card', 'aria-labelledby': 'preset-save-h' },
      el('h2', { id: 'preset-save-h', text: 'Save the enabled mods as a preset' }), saveSummary, saveForm));
  }
  if (can.add) {
    forms.append(el('section', { class: 'card', 'aria-labelledby': 'preset-import-h' },
      el('h2', { id: 'preset-import-h', text: 'Import an Arma 3 Launcher preset' }),
      el('p', { class: 'muted', text: 'A preset file exported by the Arma 3 Launcher (.html). Mods of it that are not installed '
        + 'are queued for download from the Steam Workshop.' }),
      el('div', { class: 'inline-form preset-form' }, importField.root, el('div', { class: 'form-actions' }, importBtn, importInput)),
      importResult));
  }
  if (forms.children.length) root.append(forms);
  render();
  return () => { alive = false; };
}
