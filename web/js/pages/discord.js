// Discord: webhook settings, one text per kind of message (whatever text keys the API returns),
// and a test message whose result (Discord's answer) is shown.
import { get, post } from '../api.js';
import { el, field, busy, toast, errorPanel, pageHeader, humanize } from '../ui.js';

const LABELS = {
  serverStartingMessage: ['Server starting', 'Sent when a start is requested.'],
  serverStartMessage: ['Server started', 'Sent once the game server process is up.'],
  serverStopMessage: ['Server stopped', 'Sent when the server stops.'],
  serverUpdateMessage: ['Server updating', 'Sent before steamcmd updates the server.'],
  serverCrashedMessage: ['Server crashed', 'Sent when the server exits by itself.'],
  playerJoinedMessage: ['Player joined', '{player} is replaced by the player’s name.'],
  playerLeftMessage: ['Player left', '{player} is replaced by the player’s name.'],
};

function labelOf(key) {
  if (LABELS[key]) return LABELS[key];
  return [humanize(key.replace(/Message$/, '')), ''];
}

export async function mount(root) {
  root.append(pageHeader('Discord'));
  let settings;
  try {
    settings = await get('/settings/discord');
  } catch (e) {
    root.append(errorPanel(e, 'the Discord settings'));
    return;
  }

  const enabled = el('input', { type: 'checkbox', checked: !!settings.enabled, name: 'enabled' });
  const url = el('input', { type: 'url', value: settings.webhookUrl || '', name: 'webhookUrl', placeholder: 'https://discord.com/api/webhooks/…', autocomplete: 'off', spellcheck: 'false' });
  const urlField = field('Webhook URL', url, { hint: 'Channel settings → Integrations → Webhooks → Copy Webhook URL. Keep it secret: anyone with it can post.', wide: true });
  const textKeys = Object.keys(settings).filter((k) => k !== 'enabled' && k !== 'webhookUrl' && (typeof settings[k] === 'string' || settings[k] === null));
  const texts = textKeys.map((key) => {
    const [label, hint] = labelOf(key);
    const input = el('input', { type: 'text', value: settings[key] || '', name: key, maxlength: 256 });
    return { key, input, f: field(label, input, { hint: hint || undefined }) };
  });
  const formError = el('p', { class: 'form-error', role: 'alert', hidden: true });
  const saveBtn = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Save');
  const testBtn = el('button', { type: 'button', class: 'btn' }, 'Send test message');
  const result = el('p', { class: 'result', role: 'status', 'aria-live': 'polite' });
  let dirty = false;

  const form = el('form', { class: 'card', novalidate: true },
    field('Send server events to Discord', enabled).root,
    urlField.root,
    el('fieldset', {}, el('legend', { text: 'Message texts' }), el('div', { class: 'form-grid' }, texts.map((t) => t.f.root))),
    formError,
    el('div', { class: 'form-actions' }, saveBtn, testBtn),
    el('p', { class: 'hint', text: 'The test message goes to the saved webhook URL, even while sending is switched off.' }),
    result);
  form.addEventListener('input', () => { dirty = true; });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    formError.hidden = true;
    urlField.error('');
    const value = url.value.trim();
    if (value && !/^https?:\/\/\S+$/i.test(value)) {
      urlField.error('Enter a web address starting with https://');
      url.focus();
      return;
    }
    const body = { enabled: enabled.checked, webhookUrl: value };
    for (const t of texts) body[t.key] = t.input.value;
    try {
      await busy(saveBtn, () => post('/settings/discord', body));
      dirty = false;
      toast('Discord settings saved', 'success');
    } catch (err) {
      if (err.authLost) return;
      formError.textContent = err.message;
      formError.hidden = false;
    }
  });

  testBtn.addEventListener('click', async () => {
    result.className = 'result';
    if (dirty) {
      result.textContent = 'Save your changes first: the test uses the saved webhook URL.';
      result.classList.add('fail');
      return;
    }
    result.textContent = 'Sending…';
    try {
      const answer = await busy(testBtn, () => post('/settings/discord/test', {}));
      const ok = answer && answer.delivered;
      const status = answer && answer.status ? ` (HTTP ${answer.status})` : '';
      result.textContent = `${ok ? '✓' : '✗'} ${(answer && answer.message) || (ok ? 'Delivered' : 'Not delivered')}${status}`;
      result.classList.add(ok ? 'ok' : 'fail');
    } catch (err) {
      if (err.authLost) return;
      result.textContent = `✗ ${err.message}`;
      result.classList.add('fail');
    }
  });

  root.append(form);
}
