// CDLC: one switch per Creator DLC (GET /cdlc, POST /cdlc/{id}/toggle); "not installed" when its
// folder is missing from the server directory.
import { get, post, hasAuthority } from '../api.js';
import { el, clear, toggleSwitch, toast, errorPanel, pageHeader } from '../ui.js';

export async function mount(root) {
  const canUpdate = hasAuthority('CDLC_UPDATE');
  const list = el('ul', { class: 'cdlc-list', 'aria-label': 'Creator DLCs' });
  root.append(pageHeader('Creator DLC'),
    el('p', { class: 'muted', text: 'Enabled CDLCs whose folder exists in the server directory are loaded with -mod when the server starts.' }),
    list);

  async function render() {
    let data;
    try {
      data = await get('/cdlc');
    } catch (e) {
      if (!e.authLost) list.replaceWith(errorPanel(e, 'the CDLC list'));
      return;
    }
    clear(list);
    for (const c of data.cdlcs || []) {
      const sw = toggleSwitch(c.enabled ? 'Enabled' : 'Disabled', c.enabled, async (on, input) => {
        await post(`/cdlc/${c.id}/toggle`, {});
        c.enabled = on;
        input.parentElement.querySelector('.switch-label').textContent = on ? 'Enabled' : 'Disabled';
        toast(`${c.name} ${on ? 'enabled' : 'disabled'}`, 'success');
      }, { disabled: !canUpdate });
      sw.input.setAttribute('aria-label', `${c.name} enabled`);
      list.append(el('li', { class: 'card cdlc', dataset: { id: c.id } },
        el('div', {},
          el('div', { class: 'cdlc-name', text: c.name }),
          c.fileExists ? el('span', { class: 'badge badge-ok', text: 'installed' })
            : el('span', { class: 'badge badge-warn', text: 'not installed' })),
        sw.root));
    }
    if (!list.children.length) list.append(el('li', { class: 'muted', text: 'No CDLC is known.' }));
  }
  await render();
}
