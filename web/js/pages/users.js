// Users: list, create, edit (name, authorities by area, locked), lock/unlock, password, delete.
import { get, post, put, del, session, hasAuthority } from '../api.js';
import { el, clear, field, button, modal, confirmDialog, toast, showError, errorPanel, pageHeader, formatDate } from '../ui.js';
import { AUTHORITY_GROUPS, ALL_AUTHORITIES, authorityLabel } from '../authorities.js';

// Checkboxes for every authority, one fieldset per area with a "whole area" box.
function authorityPicker(selected) {
  const chosen = new Set(selected || []);
  const boxes = [];
  const groups = AUTHORITY_GROUPS.map((g) => ({ label: g.label, codes: g.codes }));
  const unknown = [...chosen].filter((c) => !ALL_AUTHORITIES.includes(c));
  if (unknown.length) groups.push({ label: 'Other', codes: unknown });
  const root = el('div', { class: 'authority-groups' });
  for (const g of groups) {
    const all = el('input', { type: 'checkbox', 'aria-label': `All of ${g.label}` });
    const items = g.codes.map((code) => {
      const box = el('input', { type: 'checkbox', value: code, checked: chosen.has(code), name: 'authority' });
      boxes.push(box);
      return { box, label: el('label', { title: code }, box, authorityLabel(code)) };
    });
    const sync = () => {
      const n = items.filter((i) => i.box.checked).length;
      all.checked = n === items.length;
      all.indeterminate = n > 0 && n < items.length;
    };
    all.addEventListener('change', () => {
      for (const i of items) i.box.checked = all.checked;
      sync();
    });
    for (const i of items) i.box.addEventListener('change', sync);
    sync();
    root.append(el('fieldset', {}, el('legend', { text: g.label }),
      el('label', { class: 'group-all' }, all, 'All'), items.map((i) => i.label)));
  }
  const everything = button('Select all', () => {
    for (const b of boxes) b.checked = true;
    for (const b of root.querySelectorAll('input')) b.dispatchEvent(new Event('change'));
  }, { kind: 'small' });
  const nothing = button('Select none', () => {
    for (const b of boxes) b.checked = false;
    for (const b of root.querySelectorAll('input')) b.dispatchEvent(new Event('change'));
  }, { kind: 'small' });
  return {
    root: el('div', {}, el('div', { class: 'form-actions section-head' }, el('strong', { text: 'Authorities' }), el('span', {}, everything, ' ', nothing)), root),
    value: () => boxes.filter((b) => b.checked).map((b) => b.value),
  };
}

function passwordFields() {
  const pw = el('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: 1 });
  const again = el('input', { type: 'password', autocomplete: 'new-password', required: true });
  const pwField = field('Password', pw);
  const againField = field('Repeat the password', again);
  return {
    nodes: [pwField.root, againField.root],
    check() {
      pwField.error('');
      againField.error('');
      if (!pw.value) {
        pwField.error('Enter a password.');
        throw new Error('Enter a password.');
      }
      if (pw.value !== again.value) {
        againField.error('The passwords differ.');
        throw new Error('The two passwords are not the same.');
      }
      return pw.value;
    },
  };
}

export async function mount(root) {
  const can = { add: hasAuthority('USERS_ADD'), update: hasAuthority('USERS_UPDATE'), remove: hasAuthority('USERS_DELETE') };
  const me = session() ? session().username : '';
  const tbody = el('tbody', {});
  const createBtn = can.add ? button('Create user', createUser, { kind: 'primary' }) : null;
  root.append(pageHeader('Users', createBtn));
  const table = el('div', { class: 'card table-wrap' }, el('table', { class: 'users-table' },
    el('thead', {}, el('tr', {}, ['User', 'Authorities', 'Created', 'Last login', 'Status', ''].map((h) => el('th', { scope: 'col', text: h })))),
    tbody));
  root.append(table);

  async function load() {
    let users;
    try {
      users = await get('/users');
    } catch (e) {
      if (!e.authLost) table.replaceChildren(errorPanel(e, 'the user list'));
      return;
    }
    clear(tbody);
    for (const u of users) tbody.append(userRow(u));
  }

  function userRow(u) {
    const auth = u.authorities || [];
    const actions = el('div', { class: 'user-actions' });
    if (can.update) {
      actions.append(
        button('Edit', () => editUser(u), { kind: 'small', 'aria-label': `Edit ${u.username}` }),
        button('Password', () => changePassword(u), { kind: 'small', 'aria-label': `Change the password of ${u.username}` }));
      if (u.username !== me) {
        actions.append(button(u.locked ? 'Unlock' : 'Lock', async () => {
          try {
            await put(`/users/${u.id}`, { username: u.username, authorities: auth, locked: !u.locked });
            toast(`${u.username} ${u.locked ? 'unlocked' : 'locked'}`, 'success');
            await load();
          } catch (e) {
            showError(e);
          }
        }, { kind: 'small', 'aria-label': `${u.locked ? 'Unlock' : 'Lock'} ${u.username}` }));
      }
    }
    if (can.remove && u.username !== me) {
      actions.append(button('Delete', async () => {
        if (!await confirmDialog('Delete user?', `Delete the user “${u.username}”? They can no longer log in.`, { confirmText: 'Delete', danger: true })) return;
        try {
          await del(`/users/${u.id}`);
          toast(`${u.username} deleted`, 'success');
          await load();
        } catch (e) {
          showError(e, 'The user was not deleted');
        }
      }, { kind: 'small danger', 'aria-label': `Delete ${u.username}` }));
    }
    const summary = auth.length >= ALL_AUTHORITIES.length ? 'all' : `${auth.length} of ${ALL_AUTHORITIES.length}`;
    return el('tr', { dataset: { user: u.username } },
      el('td', {}, el('strong', { text: u.username }), u.username === me ? el('span', { class: 'muted', text: ' (you)' }) : null),
      el('td', { class: 'authority-summary', title: auth.join(', '), dataset: { label: 'Authorities' } }, summary),
      el('td', { text: formatDate(u.createdDate), dataset: { label: 'Created' } }),
      el('td', { text: u.lastLoginDate ? formatDate(u.lastLoginDate) : 'never', dataset: { label: 'Last login' } }),
      el('td', { dataset: { label: 'Status' } }, u.locked ? el('span', { class: 'badge badge-fail', text: 'locked' }) : el('span', { class: 'badge badge-ok', text: 'active' })),
      el('td', {}, actions));
  }

  async function createUser() {
    const name = el('input', { type: 'text', maxlength: 36, required: true, autocomplete: 'off', spellcheck: 'false' });
    const nameField = field('User name', name, { hint: 'Up to 36 characters.' });
    const pw = passwordFields();
    const picker = authorityPicker([]);
    const done = await modal({
      title: 'Create user', submitText: 'Create', wide: true,
      content: [nameField.root, ...pw.nodes, picker.root],
      onSubmit: async () => {
        nameField.error('');
        if (!name.value.trim()) {
          nameField.error('Enter a user name.');
          throw new Error('Enter a user name.');
        }
        const password = pw.check();
        await post('/users', { username: name.value.trim(), password, authorities: picker.value() });
      },
    });
    if (done) {
      toast(`User ${name.value.trim()} created`, 'success');
      await load();
    }
  }

  async function editUser(u) {
    const name = el('input', { type: 'text', maxlength: 36, value: u.username, required: true, spellcheck: 'false' });
    const nameField = field('User name', name);
    const locked = el('input', { type: 'checkbox', checked: !!u.locked, disabled: u.username === me });
    const picker = authorityPicker(u.authorities);
    const done = await modal({
      title: `Edit ${u.username}`, submitText: 'Save', wide: true,
      content: [nameField.root, field('Locked (cannot log in)', locked).root, picker.root],
      onSubmit: async () => {
        if (!name.value.trim()) {
          nameField.error('Enter a user name.');
          throw new Error('Enter a user name.');
        }
        await put(`/users/${u.id}`, { username: name.value.trim(), authorities: picker.value(), locked: locked.checked });
      },
    });
    if (done) {
      toast(`${name.value.trim()} saved`, 'success');
      await load();
    }
  }

  async function changePassword(u) {
    const pw = passwordFields();
    const done = await modal({
      title: `New password for ${u.username}`, submitText: 'Change password',
      content: pw.nodes,
      onSubmit: async () => {
        const password = pw.check();
        await post(`/users/${u.id}/password-change`, { password });
      },
    });
    if (done) toast(`Password of ${u.username} changed`, 'success');
  }

  await load();
}
