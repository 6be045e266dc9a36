// A settings form described by a list of fields, loaded with GET and saved with POST of the same
// document (keys the form does not show are sent back as they came). Used by the settings pages.
//
// Field: {key, label, type, hint, options, wide, readOnly, fields (for type 'group'), columns
// (for type 'rows')}. Types: text, secret, int, decimal, bool, select, list (strings, one per
// line), group (an object of int fields), rows (an array of objects, columns {key,label,type}).
import { get, post, hasAuthority } from './api.js';
import { el, field, select, button, busy, toast, errorPanel, pageHeader, uid } from './ui.js';

function inputFor(f, value, disabled) {
  switch (f.type) {
    case 'bool':
      return el('input', { type: 'checkbox', checked: value === true || value === 'true' || value === 1, disabled });
    case 'int':
      return el('input', { type: 'number', step: '1', value: value ?? '', disabled, inputmode: 'numeric' });
    case 'decimal':
      return el('input', { type: 'number', step: 'any', value: value ?? '', disabled, inputmode: 'decimal' });
    case 'select': {
      const options = typeof f.options === 'function' ? f.options(value) : f.options;
      return select(options, value ?? '', { disabled });
    }
    case 'list':
      return el('textarea', { rows: 4, disabled, value: Array.isArray(value) ? value.join('\n') : '', spellcheck: 'false' });
    case 'secret':
      // who may only look is told whether it is set, not what it is
      return disabled ? el('input', { type: 'password', value: '', placeholder: value ? '(set)' : '(not set)', disabled })
        : el('input', { type: 'password', value: value ?? '', autocomplete: 'off' });
    case 'textarea':
      // read-only text stays focusable and selectable, so it can be copied
      return el('textarea', { rows: 3, value: value ?? '', disabled: disabled && !f.readOnly, readonly: f.readOnly || null });
    default:
      return el('input', { type: 'text', value: value ?? '', disabled, readonly: f.readOnly || null, spellcheck: 'false' });
  }
}

function readInput(f, input, original) {
  switch (f.type) {
    case 'bool':
      return input.checked;
    case 'int':
    case 'decimal': {
      if (input.value.trim() === '') return original;
      const n = Number(input.value);
      return typeof original === 'string' ? input.value.trim() : n;
    }
    case 'select': {
      const v = input.value;
      if (v === '' && f.emptyIsNull) return null;
      return typeof original === 'number' ? Number(v) : v;
    }
    case 'list':
      return input.value.split('\n').map((s) => s.trim()).filter(Boolean);
    default:
      return input.value;
  }
}

// The API names a bad field by its key ("Field 'kickTimeouts.maxPingTimeoutSeconds' must be...",
// "Field 'allowedVoteCmds[0].name' ..."): the message goes to that control, with its label, and
// the text for the form's own error line is returned.
function showAtField(controls, message) {
  const m = /^Field '([A-Za-z0-9_]+)(?:\[(\d+)\])?(?:\.([A-Za-z0-9_]+))?' (.*)$/s.exec(message || '');
  const c = m && controls.find((x) => x.f.key === m[1]);
  if (!c) return message;
  const sub = c.subs && m[3] ? c.subs.find((x) => x.f.key === m[3]) : null;
  const target = sub ? sub.fl : c.fl;
  if (target) {
    target.error(m[4].charAt(0).toUpperCase() + m[4].slice(1));
    target.control.focus();
    return `Please correct ${sub ? `${c.f.label}: ${sub.f.label}` : c.f.label}.`;
  }
  const where = m[2] !== undefined ? `${c.f.label}, row ${Number(m[2]) + 1}${m[3] ? `, ${m[3]}` : ''}` : c.f.label;
  return `${where}: ${m[4]}`;
}

function checkInput(f, input) {
  if ((f.type === 'int' || f.type === 'decimal') && input.value.trim() !== '') {
    const n = Number(input.value);
    if (!Number.isFinite(n) || (f.type === 'int' && !Number.isInteger(n))) return 'Enter a number.';
    if (f.min !== undefined && n < f.min) return `At least ${f.min}.`;
    if (f.max !== undefined && n > f.max) return `At most ${f.max}.`;
  }
  return '';
}

// A table of objects (e.g. allowed vote commands) with add/remove.
function rowsEditor(f, value, disabled) {
  const tbody = el('tbody', {});
  const rows = [];
  const addRow = (obj = {}) => {
    const cells = f.columns.map((c) => ({ c, input: inputFor(c, obj[c.key] ?? c.default, disabled), original: obj[c.key] }));
    for (const { c, input } of cells) input.setAttribute('aria-label', c.label);
    const tr = el('tr', {}, cells.map(({ input }) => el('td', {}, input)),
      el('td', {}, disabled ? null : button('×', () => {
        rows.splice(rows.indexOf(entry), 1);
        tr.remove();
      }, { kind: 'small icon', 'aria-label': 'Remove row' })));
    const entry = { tr, cells, obj };
    rows.push(entry);
    tbody.append(tr);
  };
  for (const obj of Array.isArray(value) ? value : []) addRow(obj);
  const root = el('div', { class: 'object-rows table-wrap' },
    el('table', {}, el('thead', {}, el('tr', {}, f.columns.map((c) => el('th', { scope: 'col', text: c.label })), el('th', {}))), tbody),
    disabled ? null : button('Add', () => addRow({}), { kind: 'small' }));
  return {
    root,
    read: () => rows.map(({ cells, obj }) => {
      const out = { ...obj };
      for (const { c, input, original } of cells) out[c.key] = readInput(c, input, original ?? (c.type === 'int' || c.type === 'decimal' ? c.default : undefined));
      return out;
    }),
  };
}

export async function settingsPage(root, { title, path, intro, fields, saveAuthority, omit = [], extra }) {
  root.append(pageHeader(title));
  if (intro) root.append(el('p', { class: 'muted', text: intro }));
  let data;
  try {
    data = await get(path);
  } catch (e) {
    if (!e.authLost) root.append(errorPanel(e, `the ${title.toLowerCase()} settings`));
    return;
  }
  const canSave = !saveAuthority || hasAuthority(saveAuthority);
  const controls = [];
  const grid = el('div', { class: 'form-grid' });

  for (const f of fields) {
    if (f.type === 'group') {
      const obj = data[f.key] && typeof data[f.key] === 'object' ? data[f.key] : {};
      const inner = el('div', { class: 'form-grid' });
      const subs = f.fields.map((sf) => {
        const input = inputFor(sf, obj[sf.key], !canSave);
        const fl = field(sf.label, input, { hint: sf.hint });
        inner.append(fl.root);
        return { f: sf, input, fl, original: obj[sf.key] };
      });
      grid.append(el('fieldset', { class: 'wide' }, el('legend', { text: f.label }), inner));
      controls.push({ f, subs, read: () => {
        const out = { ...obj };
        for (const s of subs) out[s.f.key] = readInput(s.f, s.input, s.original);
        return out;
      }, check: () => subs.map((s) => { const m = checkInput(s.f, s.input); s.fl.error(m); return m; }).find(Boolean) });
      continue;
    }
    if (f.type === 'rows') {
      const editor = rowsEditor(f, data[f.key], !canSave);
      grid.append(el('fieldset', { class: 'wide' }, el('legend', { text: f.label }), f.hint ? el('p', { class: 'hint', text: f.hint }) : null, editor.root));
      controls.push({ f, read: editor.read, check: () => '' });
      continue;
    }
    const input = inputFor(f, data[f.key], !canSave || f.readOnly);
    const fl = field(f.label, input, { hint: f.hint, wide: f.wide || f.type === 'list' || f.type === 'textarea' });
    grid.append(fl.root);
    if (!f.readOnly) controls.push({ f, fl, read: () => readInput(f, input, data[f.key]), check: () => { const m = checkInput(f, input); fl.error(m); return m; } });
  }

  const formError = el('p', { class: 'form-error', role: 'alert', hidden: true });
  const saveBtn = el('button', { type: 'submit', class: 'btn btn-primary', disabled: !canSave }, 'Save');
  const form = el('form', { class: 'card', novalidate: true, id: uid('settings') }, grid, formError,
    el('div', { class: 'form-actions' }, saveBtn, canSave ? null : el('span', { class: 'hint', text: 'You may view these settings but not change them.' })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    formError.hidden = true;
    const problem = controls.map((c) => c.check()).find(Boolean);
    if (problem) {
      formError.textContent = 'Please correct the marked fields.';
      formError.hidden = false;
      return;
    }
    const body = { ...data };
    for (const c of controls) body[c.f.key] = c.read();
    for (const f of fields) if (f.readOnly) delete body[f.key];
    for (const k of omit) delete body[k];
    try {
      await busy(saveBtn, () => post(path, body));
      data = { ...data, ...body };
      toast(`${title} settings saved`, 'success');
    } catch (err) {
      if (err.authLost) return;
      formError.textContent = showAtField(controls, err.message);
      formError.hidden = false;
    }
  });
  root.append(form);
  if (extra) extra(root, data);
}

