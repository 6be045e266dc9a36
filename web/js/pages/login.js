// Login: POST /api/v1/auth {username, password} -> {jwt, authorities}. Errors are shown inline.
import { post } from '../api.js';
import { el, field, busy, themeButton } from '../ui.js';

export function mount(root, { next, onLoggedIn }) {
  const username = el('input', { type: 'text', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = el('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const error = el('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = el('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Log in');
  const form = el('form', { class: 'login-form', novalidate: true },
    el('h1', {}, el('img', { src: '/favicon.svg', alt: '', width: 32, height: 32 }), 'ASWG'),
    el('p', { class: 'muted', text: 'Arma 3 server management' }),
    field('User name', username).root,
    field('Password', password).root,
    error,
    submit);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    if (!username.value.trim() || !password.value) {
      error.textContent = 'Enter your user name and password.';
      error.hidden = false;
      (username.value.trim() ? password : username).focus();
      return;
    }
    try {
      const result = await busy(submit, () => post('/auth', { username: username.value.trim(), password: password.value }, { anonymous: true }));
      onLoggedIn(result, username.value.trim(), next || '');
    } catch (err) {
      error.textContent = err.code === 'BAD_CREDENTIALS' ? 'Wrong user name or password.'
        : err.status === 429 ? `Too many login attempts. ${err.message}` : err.message;
      error.hidden = false;
      password.select();
      password.focus();
    }
  });

  root.append(el('main', { class: 'login-page', id: 'main' }, el('div', { class: 'login-theme' }, themeButton()), form));
  username.focus();
}
