// Mod settings: CBA_A3 settings files (userconfig/<name>.sqf in the server directory). The one
// active file is userconfig/cba_settings.sqf, and the server then starts with -filePatching so
// that CBA reads it. List, edit (name, active, content), add, delete.
import { get, post, put, del, hasAuthority } from '../api.js';
import {
  el, add, clear, field, button, busy, toast, showError, errorPanel, confirmDialog, confirmDiscard, pageHeader, toggleSwitch,
} from '../ui.js';

const NAME_MAX = 64;
const CONTENT_MAX = 1024 * 1024;
const NEW = 'new';

// Why a settings name cannot be used (the API's rules: it becomes a file name), or ''.
function nameProblem(name) {
  if (!name) return 'Enter a name.';
  if (new TextEncoder().encode(name).length > NAME_MAX) return `A name has at most ${NAME_MAX} bytes.`;
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'A name cannot contain control characters.';
  if (/[ \\/:*?"<>|.]/.test(name)) return 'A name cannot contain a space, a dot or any of \\ / : * ? " < > |.';
  if (name.toLowerCase() === 'cba_settings') return 'cba_settings is the file name of the active settings: choose another name.';
  return '';
}

export async function mount(root) {
  const can = {
    add: hasAuthority('MOD_SETTINGS_ADD'),
    update: hasAuthority('MOD_SETTINGS_UPDATE'),
    remove: hasAuthority('MOD_SETTINGS_DELETE'),
  };
  let rows = [];
  let selected = null;        // id in the editor, NEW for a new file, null for none
  let dirty = false;          // the editor holds changes not saved yet
  let alive = true;
  let editToken = 0;

  const list = el('ul', { class: 'settings-list', id: 'mod-settings', 'aria-label': 'Mod settings files' });
  const count = el('span', { class: 'count' });
  const editor = el('section', { class: 'card settings-editor', id: 'mod-settings-editor', 'aria-labelledby': 'mod-settings-editor-h' });

  async function load() {
    rows = (await get('/mods/settings')) || [];
    if (selected !== NEW && !rows.some((r) => r.id === selected)) {
      const active = rows.find((r) => r.active);
      selected = active ? active.id : (rows[0] ? rows[0].id : (can.add ? NEW : null));
    }
  }

  async function reload() {
    try {
      await load();
    } catch (e) {
      showError(e, 'Could not reload the mod settings');
    }
    if (alive) render();
  }

  function render() {
    count.textContent = `(${rows.length})`;
    clear(list);
    if (!rows.length) list.append(el('li', { class: 'empty', text: 'No settings file yet.' }));
    for (const r of rows) list.append(rowItem(r));
    // a reload (another file deleted) keeps the editor's unsaved changes
    if (!dirty || (selected !== NEW && !rows.some((r) => r.id === selected))) renderEditor();
  }

  // Shows id (or NEW) in the editor; unsaved changes are discarded only if confirmed.
  async function choose(id) {
    if (dirty && id !== selected) {
      const current = rows.find((r) => r.id === selected);
      if (!(await confirmDiscard(current ? `The settings file “${current.name}”` : 'The new settings file'))) return false;
    }
    selected = id;
    dirty = false;
    render();
    return true;
  }

  function rowItem(r) {
    const actions = el('div', { class: 'profile-actions' },
      button(r.id === selected ? 'Editing' : (can.update ? 'Edit' : 'View'), () => choose(r.id), { kind: 'small', 'aria-label': `Edit ${r.name}`, 'aria-pressed': String(r.id === selected) }));
    if (can.remove) actions.append(button('Delete', () => remove(r), { kind: 'small danger', 'aria-label': `Delete ${r.name}` }));
    return el('li', { class: ['profile', r.active && 'is-active', r.id === selected && 'is-selected'], dataset: { name: r.name, id: r.id } },
      el('div', { class: 'profile-row' },
        el('span', { class: 'profile-name', text: r.name }),
        r.active ? el('span', { class: 'badge badge-ok', text: 'active' }) : null,
        actions));
  }

  async function remove(r) {
    const ok = await confirmDialog('Delete mod settings?', `Delete “${r.name}” and its file?`
      + (r.active ? ' It is the active one: the server starts without CBA settings file (and without -filePatching) afterwards.' : ''),
    { confirmText: 'Delete', danger: true });
    if (!ok) return false;
    try {
      await del(`/mods/settings/${r.id}`);
      toast(`${r.name} deleted`, 'success');
    } catch (e) {
      showError(e, `${r.name} was not deleted`);
    }
    await reload();
    return true;
  }

  // ---- the editor ----
  async function renderEditor() {
    const token = ++editToken;
    dirty = false;
    const isNew = selected === NEW;
    const r = isNew ? { name: '', active: false } : rows.find((x) => x.id === selected);
    clear(editor);
    if (!r) {
      editor.append(el('h2', { id: 'mod-settings-editor-h', text: 'Settings' }), el('p', { class: 'muted', text: 'No settings file to show.' }));
      return;
    }
    let content = '';
    if (!isNew) {
      editor.append(el('p', { class: 'loading', role: 'status', text: 'Loading…' }));
      try {
        const c = await get(`/mods/settings/${r.id}/content`);
        content = c && typeof c.content === 'string' ? c.content : '';
      } catch (e) {
        if (token !== editToken || e.authLost) return;
        clear(editor, el('h2', { id: 'mod-settings-editor-h', text: r.name }), errorPanel(e, 'this settings file'));
        return;
      }
      if (token !== editToken) return;
      clear(editor);
    }
    const ro = isNew ? !can.add : !can.update;
    const nameInput = el('input', { type: 'text', maxlength: NAME_MAX, autocomplete: 'off', value: r.name, disabled: ro,
      placeholder: 'ace_settings' });
    const nameField = field('Name', nameInput, { hint: 'Letters, digits, - and _ (no spaces or dots). The file is userconfig/<name>.sqf while it is not active.' });
    const activeSwitch = toggleSwitch('Active', r.active, () => {}, { disabled: ro });
    const text = el('textarea', { class: 'settings-content mono', rows: 18, spellcheck: 'false', autocomplete: 'off',
      wrap: 'off', value: content, readonly: ro, placeholder: 'force ace_medical_level = 2;' });
    const textField = field('Content', text, { hint: 'CBA settings as the addon options export them: one “force? setting = value;” per line.', wide: true });
    const formError = el('p', { class: 'form-error', role: 'alert', hidden: true });
    const saveBtn = el('button', { type: 'submit', class: 'btn btn-primary' }, isNew ? 'Add settings' : 'Save');
    const actions = el('div', { class: 'form-actions' });
    if (!ro) actions.append(saveBtn);
    if (isNew && rows.length) actions.append(button('Cancel', () => { dirty = false; selected = null; reload(); }));
    if (!isNew && can.remove) actions.append(button('Delete', () => remove(r), { kind: 'danger' }));
    const form = el('form', { class: 'settings-form', novalidate: true },
      nameField.root,
      el('div', { class: 'field' }, activeSwitch.root,
        el('p', { class: 'hint', text: 'Only one file is active: it is written as userconfig/cba_settings.sqf, and the server then starts with -filePatching so that CBA reads it. Making this one active makes the other one inactive.' })),
      textField.root, formError, actions);
    const changed = () => { dirty = true; };
    form.addEventListener('input', changed);
    form.addEventListener('change', changed);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      formError.hidden = true;
      nameField.error('');
      const name = nameInput.value.trim();
      if (nameProblem(name)) {
        nameField.error(nameProblem(name));
        nameInput.focus();
        return;
      }
      const body = { name, active: activeSwitch.input.checked, content: text.value };
      if (new TextEncoder().encode(body.content).length > CONTENT_MAX) {
        formError.textContent = `The content is larger than ${CONTENT_MAX / 1024 / 1024} MB, the most aswg keeps.`;
        formError.hidden = false;
        return;
      }
      try {
        const saved = await busy(saveBtn, () => (isNew ? post('/mods/settings', body) : put(`/mods/settings/${r.id}`, body)));
        toast(`${name} ${isNew ? 'added' : 'saved'}${body.active ? ': active as userconfig/cba_settings.sqf' : ''}`, 'success');
        if (saved && saved.id) selected = saved.id;
        dirty = false;
        await reload();
      } catch (err) {
        if (err.authLost) return;
        formError.textContent = err.status === 413 ? `Too large: ${err.message}` : err.message;
        formError.hidden = false;
      }
    });
    add(editor,
      el('div', { class: 'section-head' }, el('h2', { id: 'mod-settings-editor-h', text: isNew ? 'New settings file' : r.name }),
        r.active ? el('span', { class: 'badge badge-ok', text: 'active: userconfig/cba_settings.sqf' }) : null),
      ro && !isNew ? el('p', { class: 'muted', text: 'Changing settings needs the authority MOD_SETTINGS_UPDATE.' }) : null,
      form);
  }

  // ---- page ----
  const header = pageHeader('Mod settings', can.add ? button('New settings file', async () => {
    if (await choose(NEW)) editor.querySelector('input')?.focus();
  }, { kind: 'primary' }) : null);
  try {
    await load();
  } catch (e) {
    root.append(header, errorPanel(e, 'the mod settings'));
    return () => { alive = false; };
  }
  root.append(header,
    el('p', { class: 'muted', text: 'CBA_A3 settings files for the server. The active one is userconfig/cba_settings.sqf in the server directory; while one is active the server starts with -filePatching.' }),
    el('div', { class: 'profile-columns' },
      el('section', { class: 'card', 'aria-labelledby': 'mod-settings-list-h' },
        el('div', { class: 'section-head' }, el('h2', { id: 'mod-settings-list-h' }, 'Settings files ', count)), list),
      editor));
  render();
  return () => { alive = false; };
}
