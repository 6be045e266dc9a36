// Logging: the server.cfg logFile (GET/POST /logging/properties).
import { settingsPage } from '../settings-form.js';

export function mount(root) {
  return settingsPage(root, {
    title: 'Logging',
    path: '/logging/properties',
    intro: 'Where the Arma 3 server writes its own log (server.cfg logFile), relative to its profile directory.',
    fields: [{ key: 'logFile', label: 'Server log file', type: 'text', hint: 'e.g. server_console.log; empty = no log file.', wide: true }],
  });
}
