// General settings (GET/POST /general/properties): server directories, hostname, ports, MOTD.
import { settingsPage } from '../settings-form.js';

const DIFFICULTY = [{ value: '', label: 'Not forced (per mission)' }, { value: 'RECRUIT', label: 'Recruit' },
  { value: 'REGULAR', label: 'Regular' }, { value: 'VETERAN', label: 'Veteran' }, { value: 'CUSTOM', label: 'Custom' }];
const BRANCHES = ['public', 'profiling', 'contact', 'creatordlc'];

export function mount(root) {
  return settingsPage(root, {
    title: 'General',
    path: '/general/properties',
    saveAuthority: 'GENERAL_SETTINGS_SAVE',
    fields: [
      { key: 'hostname', label: 'Server name', type: 'text', hint: 'Shown in the server browser.', wide: true },
      { key: 'serverDirectory', label: 'Server directory', type: 'text', hint: 'Where arma3server_x64 is installed.' },
      { key: 'modsDirectory', label: 'Mods directory', type: 'text', hint: 'Relative to the server directory.' },
      { key: 'port', label: 'Game port', type: 'int', min: 1, max: 65531, hint: 'The Steam query port is this + 1.' },
      { key: 'maxPlayers', label: 'Maximum players', type: 'int', min: 0 },
      { key: 'branch', label: 'Branch', type: 'select', options: BRANCHES },
      { key: 'forcedDifficulty', label: 'Forced difficulty', type: 'select', options: DIFFICULTY, emptyIsNull: true },
      { key: 'persistent', label: 'Persistent (keep running with no players)', type: 'bool' },
      { key: 'drawingInMap', label: 'Allow drawing on the map', type: 'bool' },
      { key: 'motd', label: 'Message of the day', type: 'list', hint: 'One line per message.' },
      { key: 'motdInterval', label: 'Seconds between MOTD lines', type: 'int', min: 0 },
      { key: 'headlessClients', label: 'Headless client addresses', type: 'list', hint: 'One IP address per line.' },
      { key: 'localClients', label: 'Local client addresses', type: 'list', hint: 'One IP address per line (unlimited bandwidth).' },
      { key: 'commandLineParams', label: 'Command line', type: 'textarea', readOnly: true, hint: 'Generated from these settings when the server starts.' },
      { key: 'canOverwriteCommandLineParams', label: 'Command line may be overwritten', type: 'bool', readOnly: true },
    ],
  });
}
