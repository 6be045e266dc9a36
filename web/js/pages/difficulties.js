// Difficulty profiles: the .Arma3Profile files the server starts with (-name=<active profile>).
// List them (the active one marked), make one active, edit its options (booleans as switches,
// the small numbers as selects, AI skill and precision as numbers sent as strings), add one by
// name, delete one with confirmation.
import { get, post, put, del, hasAuthority } from '../api.js';
import {
  el, add, clear, field, button, busy, toast, showError, errorPanel, confirmDialog, confirmDiscard, pageHeader, toggleSwitch, select, uid,
} from '../ui.js';

const NAME_MAX = 64;
const SHOWN = [[0, 'Never'], [1, 'Limited distance'], [2, 'Always']];
const FADE = [[0, 'Never'], [1, 'Fade out'], [2, 'Always']];
// The options aswg knows, in the order of the game's difficulty menu; choices for the numbers.
const OPTIONS = [
  { group: 'Simulation', key: 'reducedDamage', label: 'Reduced damage' },
  { group: 'Situational awareness', key: 'groupIndicators', label: 'Group indicators', choices: SHOWN },
  { group: 'Situational awareness', key: 'friendlyTags', label: 'Friendly name tags', choices: SHOWN },
  { group: 'Situational awareness', key: 'enemyTags', label: 'Enemy name tags', choices: SHOWN },
  { group: 'Situational awareness', key: 'detectedMines', label: 'Detected mines', choices: SHOWN },
  { group: 'Situational awareness', key: 'commands', label: 'Commands', choices: FADE },
  { group: 'Situational awareness', key: 'waypoints', label: 'Waypoints', choices: FADE },
  { group: 'Situational awareness', key: 'tacticalPing', label: 'Tactical ping',
    choices: [[0, 'Disabled'], [1, 'In 3D'], [2, 'On the map'], [3, 'In 3D and on the map']] },
  { group: 'Personal awareness', key: 'weaponInfo', label: 'Weapon info', choices: FADE },
  { group: 'Personal awareness', key: 'stanceIndicator', label: 'Stance indicator', choices: FADE },
  { group: 'Personal awareness', key: 'staminaBar', label: 'Stamina bar' },
  { group: 'Personal awareness', key: 'weaponCrosshair', label: 'Weapon crosshair' },
  { group: 'Personal awareness', key: 'visionAid', label: 'Vision aid' },
  { group: 'View', key: 'thirdPersonView', label: 'Third person view',
    choices: [[0, 'Disabled'], [1, 'Enabled'], [2, 'Vehicles only']] },
  { group: 'View', key: 'cameraShake', label: 'Camera shake' },
  { group: 'Multiplayer', key: 'scoreTable', label: 'Score table' },
  { group: 'Multiplayer', key: 'deathMessages', label: 'Killed by' },
  { group: 'Multiplayer', key: 'vonId', label: 'VON ID' },
  { group: 'Map', key: 'mapContentFriendly', label: 'Friendly units on the map' },
  { group: 'Map', key: 'mapContentEnemy', label: 'Enemy units on the map' },
  { group: 'Map', key: 'mapContentMines', label: 'Mines on the map' },
  { group: 'Misc', key: 'autoReport', label: 'Auto report' },
  { group: 'Misc', key: 'multipleSaves', label: 'Multiple saves' },
  { group: 'AI', key: 'aiLevelPreset', label: 'AI level preset',
    choices: [[0, 'Low'], [1, 'Normal'], [2, 'High'], [3, 'Custom']] },
  { group: 'AI', key: 'skillAI', label: 'AI skill', decimal: true },
  { group: 'AI', key: 'precisionAI', label: 'AI precision', decimal: true },
];

// Why a profile name cannot be used (the API's rules: it is a directory and a file name), or ''.
function nameProblem(name) {
  if (!name) return 'Enter a name.';
  if (new TextEncoder().encode(name).length > NAME_MAX) return `A name has at most ${NAME_MAX} bytes.`;
  if (/[\u0000-\u001f\u007f/\\:*?"<>|]/.test(name) || name.includes('..')) {
    return 'A name cannot contain / \\ : * ? " < > |, “..” or control characters.';
  }
  if (name !== name.trim() || name.startsWith('.')) return 'A name cannot start or end with a blank or start with “.”.';
  return '';
}

export async function mount(root) {
  const can = {
    add: hasAuthority('DIFFICULTY_ADD'),
    update: hasAuthority('DIFFICULTY_UPDATE'),
    remove: hasAuthority('DIFFICULTY_DELETE'),
  };
  let profiles = [];
  let selected = null;        // id of the profile in the editor
  let dirty = false;          // the editor holds changes not saved yet
  let alive = true;

  const list = el('ul', { class: 'profile-list', id: 'difficulties', 'aria-label': 'Difficulty profiles' });
  const count = el('span', { class: 'count' });
  const editor = el('section', { class: 'card profile-editor', id: 'difficulty-editor', 'aria-labelledby': 'difficulty-editor-h' });

  async function load() {
    profiles = (await get('/difficulties')) || [];
    if (!profiles.some((p) => p.id === selected)) {
      const active = profiles.find((p) => p.active);
      selected = active ? active.id : (profiles[0] ? profiles[0].id : null);
    }
  }

  async function reload() {
    try {
      await load();
    } catch (e) {
      showError(e, 'Could not reload the profiles');
    }
    if (alive) render();
  }

  // A reload (another profile made active or deleted) keeps the editor's unsaved changes.
  function render() {
    count.textContent = `(${profiles.length})`;
    clear(list);
    if (!profiles.length) list.append(el('li', { class: 'empty', text: 'No difficulty profile yet.' }));
    for (const p of profiles) list.append(profileItem(p));
    if (!dirty || !profiles.some((p) => p.id === selected)) renderEditor();
  }

  // Opens profile id in the editor; unsaved changes of another one are discarded only if confirmed.
  async function chooseProfile(id) {
    if (dirty && id !== selected) {
      const current = profiles.find((p) => p.id === selected);
      if (!(await confirmDiscard(`The profile “${current ? current.name : ''}”`))) return false;
    }
    selected = id;
    dirty = false;
    render();
    return true;
  }

  function profileItem(p) {
    const actions = el('div', { class: 'profile-actions' },
      button(p.id === selected ? 'Editing' : 'Edit', async () => {
        if (await chooseProfile(p.id)) editor.querySelector('select, input')?.focus();
      }, { kind: 'small', 'aria-label': `Edit ${p.name}`, 'aria-pressed': String(p.id === selected) }));
    if (can.update && !p.active) {
      const act = button('Make active', async () => {
        try {
          await busy(act, () => put(`/difficulties/${p.id}`, { active: true }));
          toast(`${p.name} is the active profile now`, 'success');
        } catch (e) {
          showError(e, `${p.name} was not made active`);
        }
        await reload();
      }, { kind: 'small primary', 'aria-label': `Make ${p.name} active` });
      actions.append(act);
    }
    if (can.remove) {
      actions.append(button('Delete', async () => {
        const ok = await confirmDialog('Delete profile?', `Delete the difficulty profile “${p.name}” and its file?`
          + (p.active ? ' It is the active one: no profile is active afterwards.' : ''), { confirmText: 'Delete', danger: true });
        if (!ok) return;
        try {
          await del(`/difficulties/${p.id}`);
          toast(`Profile ${p.name} deleted`, 'success');
        } catch (e) {
          showError(e, `${p.name} was not deleted`);
        }
        await reload();
      }, { kind: 'small danger', 'aria-label': `Delete ${p.name}` }));
    }
    return el('li', { class: ['profile', p.active && 'is-active', p.id === selected && 'is-selected'], dataset: { name: p.name, id: p.id } },
      el('div', { class: 'profile-row' },
        el('span', { class: 'profile-name', text: p.name }),
        p.active ? el('span', { class: 'badge badge-ok', text: 'active' }) : null,
        p.fileError ? el('span', { class: 'badge badge-fail', text: 'file error', title: p.fileError }) : null,
        actions));
  }

  // ---- the editor of the selected profile ----
  function renderEditor() {
    const p = profiles.find((x) => x.id === selected);
    dirty = false;
    clear(editor);
    if (!p) {
      editor.append(el('h2', { id: 'difficulty-editor-h', text: 'Options' }), el('p', { class: 'muted', text: 'No profile to edit.' }));
      return;
    }
    const options = p.options || {};
    const ro = !can.update;
    const controls = new Map();
    const nameInput = el('input', { type: 'text', maxlength: NAME_MAX, autocomplete: 'off', value: p.name, disabled: ro });
    const nameField = field('Name', nameInput, { hint: 'The game’s -name= and the profile’s folder.' });
    const groups = new Map();
    for (const o of OPTIONS) {
      if (!groups.has(o.group)) groups.set(o.group, el('fieldset', { class: 'option-group' }, el('legend', { text: o.group })));
      const fs = groups.get(o.group);
      const value = options[o.key];
      if (o.choices) {
        const known = o.choices.some(([v]) => String(v) === String(value));
        const choices = o.choices.map(([v, label]) => ({ value: v, label: `${label} (${v})` }));
        if (!known && value !== undefined) choices.push({ value: String(value), label: String(value) });
        const sel = select(choices, value, { disabled: ro, name: o.key });
        controls.set(o.key, () => Number(sel.value));
        fs.append(field(o.label, sel).root);
      } else if (o.decimal) {
        const input = el('input', { type: 'number', min: '0', max: '1', step: '0.05', inputmode: 'decimal', name: o.key,
          value: value === undefined ? '' : String(value), disabled: ro });
        controls.set(o.key, () => input.value.trim());
        fs.append(field(o.label, input, { hint: 'From 0 to 1. Used with the Custom preset.' }).root);
      } else {
        const sw = toggleSwitch(o.label, value === true, () => {}, { disabled: ro });
        sw.input.name = o.key;
        controls.set(o.key, () => sw.input.checked);
        fs.append(el('div', { class: 'option-switch' }, sw.root));
      }
    }
    const formError = el('p', { class: 'form-error', role: 'alert', hidden: true });
    const saveBtn = el('button', { type: 'submit', class: 'btn btn-primary', disabled: ro }, 'Save options');
    const form = el('form', { class: 'difficulty-form', novalidate: true },
      nameField.root, el('div', { class: 'option-groups' }, [...groups.values()]), formError,
      can.update ? el('div', { class: 'form-actions' }, saveBtn) : null);
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
      const body = { options: Object.fromEntries([...controls].map(([k, read]) => [k, read()])) };
      if (name !== p.name) body.name = name;
      try {
        await busy(saveBtn, () => put(`/difficulties/${p.id}`, body));
        toast(`Profile ${name} saved`, 'success');
        dirty = false;
        await reload();
      } catch (err) {
        if (err.authLost) return;
        formError.textContent = err.message;
        formError.hidden = false;
      }
    });
    add(editor,
      el('div', { class: 'section-head' }, el('h2', { id: 'difficulty-editor-h', text: `Options of ${p.name}` }),
        p.active ? el('span', { class: 'badge badge-ok', text: 'active' }) : null),
      p.fileError ? el('div', { class: 'notice notice-error', role: 'alert' },
        el('strong', { text: 'The profile file cannot be read. ' }), el('p', { class: 'file-error', text: p.fileError }),
        el('p', { text: 'The options shown are the defaults; aswg does not change the file until it is fixed.' })) : null,
      ro ? el('p', { class: 'muted', text: 'Changing the options needs the authority DIFFICULTY_UPDATE.' }) : null,
      form);
  }

  // ---- add a profile ----
  const addName = el('input', { type: 'text', maxlength: NAME_MAX, autocomplete: 'off', placeholder: 'Hardcore' });
  const addField = field('Profile name', addName);
  const addActive = el('input', { type: 'checkbox', id: uid('f') });
  const addBtn = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Add profile');
  const addForm = el('form', { class: 'inline-form profile-add', novalidate: true },
    addField.root, el('div', { class: 'field check' }, addActive, el('label', { for: addActive.id, text: 'Make it the active one' })),
    el('div', { class: 'form-actions' }, addBtn));
  addForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = addName.value.trim();
    addField.error(nameProblem(name));
    if (nameProblem(name)) {
      addName.focus();
      return;
    }
    try {
      await busy(addBtn, () => post('/difficulties', { name, active: addActive.checked }));
      toast(`Profile ${name} added`, 'success');
      addName.value = '';
      addActive.checked = false;
      await load();
      const added = profiles.find((p) => p.name === name);
      if (alive && !(added && await chooseProfile(added.id))) render();
    } catch (err) {
      if (!err.authLost) addField.error(err.message);
    }
  });

  // ---- page ----
  const header = pageHeader('Difficulty profiles');
  try {
    await load();
  } catch (e) {
    root.append(header, errorPanel(e, 'the difficulty profiles'));
    return () => { alive = false; };
  }
  const side = el('div', { class: 'profile-side' },
    el('section', { class: 'card', 'aria-labelledby': 'difficulty-list-h' },
      el('div', { class: 'section-head' }, el('h2', { id: 'difficulty-list-h' }, 'Profiles ', count)), list));
  if (can.add) {
    side.append(el('section', { class: 'card', 'aria-labelledby': 'difficulty-add-h' },
      el('h2', { id: 'difficulty-add-h', text: 'Add a profile' }),
      el('p', { class: 'muted', text: 'A new profile starts with the default options.' }), addForm));
  }
  root.append(header,
    el('p', { class: 'muted', text: 'The server starts with the active profile (-name=<profile>). Its options apply to the missions whose difficulty is Custom.' }),
    el('div', { class: 'profile-columns' }, side, editor));
  render();
  return () => { alive = false; };
}
