// Network settings (GET/POST /network/properties): server.cfg and network.cfg tuning.
import { settingsPage } from '../settings-form.js';

export function mount(root) {
  return settingsPage(root, {
    title: 'Network',
    path: '/network/properties',
    saveAuthority: 'NETWORK_SETTINGS_SAVE',
    intro: 'Defaults suit most servers; see the Arma 3 server documentation before changing these.',
    fields: [
      { key: 'upnp', label: 'UPnP port mapping', type: 'bool' },
      { key: 'loopback', label: 'Loopback (LAN only)', type: 'bool' },
      { key: 'enablePlayerDiag', label: 'Player diagnostics in the log', type: 'bool' },
      { key: 'maxPing', label: 'Maximum ping (ms)', type: 'int', min: 0 },
      { key: 'maxDesync', label: 'Maximum desync', type: 'int', min: 0 },
      { key: 'maxPacketLoss', label: 'Maximum packet loss (%)', type: 'int', min: 0 },
      { key: 'disconnectTimeout', label: 'Disconnect timeout (s)', type: 'int', min: 0 },
      { key: 'steamProtocolMaxDataSize', label: 'Steam protocol max data size', type: 'int', min: 0 },
      {
        key: 'kickTimeouts', label: 'Kick timeouts (seconds before a kicked player may rejoin)', type: 'group',
        fields: [
          { key: 'manualKickTimeoutSeconds', label: 'Manual kick', type: 'int' },
          { key: 'connectivityKickTimeoutSeconds', label: 'Connectivity kick', type: 'int' },
          { key: 'battlEyeKickTimeoutSeconds', label: 'BattlEye kick', type: 'int' },
          { key: 'harmlessKickTimeoutSeconds', label: 'Harmless kick', type: 'int' },
        ],
      },
      { key: 'minBandwidth', label: 'Minimum bandwidth (bit/s)', type: 'int', min: 0 },
      { key: 'maxBandwidth', label: 'Maximum bandwidth (bit/s)', type: 'int', min: 0 },
      { key: 'maxMsgSend', label: 'Maximum messages per frame', type: 'int', min: 0 },
      { key: 'maxSizeGuaranteed', label: 'Maximum guaranteed message size', type: 'int', min: 0 },
      { key: 'maxSizeNonGuaranteed', label: 'Maximum non-guaranteed message size', type: 'int', min: 0 },
      { key: 'minErrorToSend', label: 'Minimum error to send', type: 'text' },
      { key: 'minErrorToSendNear', label: 'Minimum error to send (near)', type: 'text' },
      { key: 'maxCustomFileSize', label: 'Maximum custom file size (bytes)', type: 'int', min: 0 },
      { key: 'maxPacketSize', label: 'Maximum packet size (bytes)', type: 'int', min: 0 },
    ],
  });
}
