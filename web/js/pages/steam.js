// Steam: steamcmd and Steam Web API settings; the steamcmd password is write-only (its own form).
import { post } from '../api.js';
import { el, field, busy, toast } from '../ui.js';
import { settingsPage } from '../settings-form.js';

export function mount(root) {
  return settingsPage(root, {
    title: 'Steam',
    path: '/settings/steam',
    omit: ['steamCmdPassword'],
    fields: [
      { key: 'steamCmdPath', label: 'steamcmd executable', type: 'text', hint: 'Full path, e.g. /opt/steamcmd/steamcmd.sh', wide: true },
      { key: 'steamCmdUsername', label: 'Steam user name', type: 'text', hint: 'The account steamcmd logs in with (Workshop mods need one that owns Arma 3).' },
      { key: 'steamCmdWorkshopContentPath', label: 'Workshop content directory', type: 'text', hint: 'Empty = steamcmd’s default.' },
      { key: 'steamWebApiToken', label: 'Steam Web API key', type: 'secret', hint: 'Needed for the Workshop search.', wide: true },
    ],
    extra: (page) => page.append(passwordForm()),
  });
}

function passwordForm() {
  const pw = el('input', { type: 'password', autocomplete: 'new-password' });
  const again = el('input', { type: 'password', autocomplete: 'new-password' });
  const pwField = field('New steamcmd password', pw, { hint: 'Stored in aswg-config.properties; never shown again.' });
  const againField = field('Repeat the password', again);
  const btn = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Change password');
  const form = el('form', { class: 'card', novalidate: true }, el('h2', { text: 'steamcmd password' }),
    el('div', { class: 'form-grid' }, pwField.root, againField.root), el('div', { class: 'form-actions' }, btn));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    pwField.error('');
    againField.error('');
    if (pw.value !== again.value) {
      againField.error('The passwords differ.');
      return;
    }
    try {
      await busy(btn, () => post('/settings/steam/password-change', { password: pw.value }));
      pw.value = '';
      again.value = '';
      toast('steamcmd password changed', 'success');
    } catch (err) {
      if (!err.authLost) pwField.error(err.message);
    }
  });
  return form;
}
