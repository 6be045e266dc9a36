// Small DOM helpers shared by the pages. Text from the API only ever goes through textContent or
// attributes (never innerHTML).

let idCounter = 0;
export const uid = (prefix = 'id') => `${prefix}-${++idCounter}`;

// el('button', {class: 'btn', onclick: fn, 'aria-label': 'x'}, 'text', child, [more])
// Keys: class, text, dataset (object), on<event> (function), value/checked/disabled/hidden/selected
// (set as properties), anything else as an attribute (false/null/undefined = left out).
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (['value', 'checked', 'disabled', 'hidden', 'selected', 'indeterminate', 'open'].includes(key)) node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

// Appends children (nested arrays flattened, null/false skipped, strings as text).
export function add(node, ...children) {
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// Removes every child, then adds children as add() does.
export function clear(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

// ---- form controls ----

// A labelled field: {label, control, hint, id}. Returns {root, control, error(msg)}.
export function field(label, control, { hint, wide = false } = {}) {
  if (!control.id) control.id = uid('f');
  const hintEl = hint ? el('p', { class: 'hint', id: `${control.id}-hint`, text: hint }) : null;
  const errorEl = el('p', { class: 'field-error', id: `${control.id}-error`, role: 'alert', hidden: true });
  const described = [hintEl && hintEl.id, errorEl.id].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', described);
  const root = el('div', { class: ['field', wide && 'wide', control.type === 'checkbox' && 'check'] },
    control.type === 'checkbox' ? [control, el('label', { for: control.id, text: label })]
      : [el('label', { for: control.id, text: label }), control],
    hintEl, errorEl);
  return {
    root,
    control,
    error(message) {
      errorEl.textContent = message || '';
      errorEl.hidden = !message;
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    },
  };
}

// A switch: a checkbox with role=switch. onChange(checked, input) may return a promise; the
// switch is disabled while it runs and flips back if it fails.
export function toggleSwitch(label, checked, onChange, { disabled = false, hideLabel = false } = {}) {
  const input = el('input', { type: 'checkbox', role: 'switch', checked, disabled, id: uid('sw') });
  const root = el('label', { class: 'switch', for: input.id },
    input, el('span', { class: 'track', 'aria-hidden': 'true' }),
    el('span', { class: hideLabel ? 'visually-hidden' : 'switch-label', text: label }));
  input.addEventListener('change', async () => {
    const wanted = input.checked;
    const focused = document.activeElement === input;
    input.disabled = true;
    try {
      await onChange(wanted, input);
    } catch (e) {
      input.checked = !wanted;
      showError(e);
    } finally {
      input.disabled = disabled;
      if (focused && input.isConnected) input.focus();   // disabling it took the keyboard focus away
    }
  });
  return { root, input };
}

export function select(options, value, attrs = {}) {
  return el('select', attrs, options.map((o) => {
    const opt = typeof o === 'object' ? o : { value: o, label: o };
    return el('option', { value: opt.value, selected: String(opt.value) === String(value), text: opt.label });
  }));
}

export function button(text, onclick, { kind = '', type = 'button', ...attrs } = {}) {
  return el('button', { type, class: ['btn', ...kind.split(' ').filter(Boolean).map((k) => `btn-${k}`)], onclick, ...attrs }, text);
}

// Runs an async action with the button disabled (and marked busy) meanwhile.
export async function busy(btn, action) {
  const focused = document.activeElement === btn;
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  try {
    return await action();
  } finally {
    btn.disabled = false;
    btn.removeAttribute('aria-busy');
    // disabling the button took the keyboard focus away: give it back unless it moved on
    if (focused && btn.isConnected && (document.activeElement === document.body || !document.activeElement)) btn.focus();
  }
}

// ---- theme: light/dark toggle, remembered in localStorage (js/theme.js applies it early) ----
function effectiveTheme() {
  const set = document.documentElement.dataset.theme;
  if (set) return set;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function themeButton() {
  const btn = el('button', { type: 'button', class: 'btn btn-ghost theme-toggle' });
  const label = () => {
    const next = effectiveTheme() === 'dark' ? 'light' : 'dark';
    btn.textContent = next === 'dark' ? '☾' : '☀';
    btn.setAttribute('aria-label', `Switch to ${next} theme`);
    btn.title = `Switch to ${next} theme`;
  };
  btn.addEventListener('click', () => {
    const next = effectiveTheme() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem('aswg.theme', next);
    } catch { /* storage disabled */ }
    label();
  });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', label);
  label();
  return btn;
}

// ---- notifications ----

export function toast(message, kind = 'info') {
  const region = document.getElementById('toasts');
  if (!region) return;
  const item = el('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : null },
    el('span', { text: message }),
    el('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss', onclick: () => item.remove() }, '×'));
  region.append(item);
  while (region.children.length > 3) region.firstElementChild.remove();
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

// Shows an API or other error as a toast; a lost login is handled by the app, not shown.
export function showError(e, prefix = '') {
  if (!e || e.authLost || e.name === 'AbortError') return;
  toast(prefix ? `${prefix}: ${e.message}` : e.message, 'error');
}

// An inline error panel for a page or section that could not be loaded; what: "the user list".
export function errorPanel(e, what = 'this page') {
  if (e && e.status === 404) {
    return el('div', { class: 'notice notice-warn', role: 'status' },
      el('strong', { text: 'Not available yet' }),
      el('p', { text: `This aswg does not offer ${what} yet (the API answered 404: ${e.message}).` }));
  }
  if (e && e.status === 403) {
    return el('div', { class: 'notice notice-warn', role: 'status' },
      el('strong', { text: 'You are not allowed to see this.' }), el('p', { text: e.message }));
  }
  return el('div', { class: 'notice notice-error', role: 'alert' },
    el('strong', { text: `Could not load ${what}.` }), el('p', { text: e ? e.message : '' }));
}

// ---- dialogs (native <dialog>: focus trap, Escape and backdrop for free) ----

// A modal dialog. content: Node(s). onSubmit() may throw to keep the dialog open; the message is
// shown inside it. Resolves true when submitted, false when cancelled.
export function modal({ title, content, submitText = 'OK', cancelText = 'Cancel', danger = false, wide = false, onSubmit = () => {} }) {
  return new Promise((resolve) => {
    const titleId = uid('dlg');
    const errorEl = el('p', { class: 'field-error', role: 'alert', hidden: true });
    const submit = el('button', { type: 'submit', class: ['btn', danger ? 'btn-danger' : 'btn-primary'] }, submitText);
    const cancel = el('button', { type: 'button', class: 'btn', value: 'cancel', onclick: () => dialog.close('cancel') }, cancelText);
    const form = el('form', { method: 'dialog', class: 'dialog-form' },
      el('h2', { id: titleId, text: title }),
      el('div', { class: 'dialog-body' }, content),
      errorEl,
      el('div', { class: 'dialog-actions' }, cancel, submit));
    const dialog = el('dialog', { class: ['dialog', wide && 'wide'], 'aria-labelledby': titleId }, form);
    let submitted = false;
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      errorEl.hidden = true;
      try {
        await busy(submit, onSubmit);
        submitted = true;
        dialog.close('ok');
      } catch (err) {
        if (err && err.authLost) {
          dialog.close('cancel');
          return;
        }
        errorEl.textContent = err ? err.message : 'Failed';
        errorEl.hidden = false;
      }
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(submitted);
    });
    document.body.append(dialog);
    dialog.showModal();
    const first = dialog.querySelector('.dialog-body input, .dialog-body select, .dialog-body textarea');
    // Enter on a destructive question must not destroy: there Cancel has the focus.
    (first || (danger ? cancel : submit)).focus();
  });
}

export function confirmDialog(title, message, { confirmText = 'OK', danger = false } = {}) {
  return modal({ title, content: el('p', { text: message }), submitText: confirmText, danger });
}

// Asked before an editor holding unsaved changes of `what` shows something else: true to discard.
export function confirmDiscard(what) {
  return confirmDialog('Discard unsaved changes?', `${what} has changes that are not saved. Discard them?`,
    { confirmText: 'Discard changes', danger: true });
}

// ---- formatting ----

export function formatBytes(n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = Number(n);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function formatDate(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}

// "yyyy-MM-dd HH:mm:ss" (server local time, as the jobs API writes it) -> milliseconds, or NaN.
export function parseServerDate(text) {
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)/.exec(text || '');
  return m ? Date.UTC(+m[1], m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
}

export function formatDuration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(ms < 10000 ? 1 : 0)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

// "serverStartMessage" -> "Server start message"
export function humanize(key) {
  const words = String(key).replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// A page heading with optional actions on the right.
export function pageHeader(title, ...actions) {
  return el('div', { class: 'page-header' }, el('h1', { text: title }), el('div', { class: 'page-actions' }, actions));
}

export function loading(text = 'Loading…') {
  return el('p', { class: 'loading', role: 'status', text });
}
