// Security settings (GET/POST /security): passwords, BattlEye, signatures, admins, votes.
import { settingsPage } from '../settings-form.js';

const FILE_PATCHING = (value) => (typeof value === 'number'
  ? [{ value: 0, label: 'Not allowed' }, { value: 1, label: 'Headless clients only' }, { value: 2, label: 'All clients' }]
  : [{ value: 'NOT_ALLOWED', label: 'Not allowed' }, { value: 'ALLOWED_FOR_HEADLESS_CLIENTS', label: 'Headless clients only' },
    { value: 'ALLOWED_FOR_ALL_CLIENTS', label: 'All clients' }]);

export function mount(root) {
  return settingsPage(root, {
    title: 'Security',
    path: '/security',
    saveAuthority: 'SECURITY_SETTINGS_SAVE',
    fields: [
      { key: 'serverPassword', label: 'Join password', type: 'secret', hint: 'Empty = anyone may join.' },
      { key: 'serverAdminPassword', label: 'Admin password', type: 'secret', hint: 'For #login in the game.' },
      { key: 'serverCommandPassword', label: 'Server command password', type: 'secret' },
      { key: 'battleEye', label: 'BattlEye anti-cheat', type: 'bool' },
      { key: 'verifySignatures', label: 'Verify addon signatures', type: 'bool' },
      { key: 'kickDuplicate', label: 'Kick players with a duplicate ID', type: 'bool' },
      { key: 'allowedFilePatching', label: 'File patching', type: 'select', options: FILE_PATCHING },
      { key: 'voteThreshold', label: 'Vote threshold', type: 'text', hint: 'Share of votes needed, e.g. 0.5' },
      { key: 'voteMissionPlayers', label: 'Players needed for a mission vote', type: 'int', min: 0 },
      { key: 'adminUUIDs', label: 'Admin Steam IDs', type: 'list', hint: 'One Steam ID (64-bit) per line.' },
      { key: 'filePatchingIgnoredClients', label: 'File patching exceptions', type: 'list', hint: 'Steam IDs, one per line.' },
      { key: 'allowedLoadFileExtensions', label: 'Allowed load file extensions', type: 'list' },
      { key: 'allowedPreprocessFileExtensions', label: 'Allowed preprocess file extensions', type: 'list' },
      { key: 'allowedHTMLLoadExtensions', label: 'Allowed HTML load extensions', type: 'list' },
      {
        key: 'allowedVoteCmds', label: 'Allowed vote commands', type: 'rows',
        columns: [
          { key: 'name', label: 'Command', type: 'text' },
          { key: 'allowedPreMission', label: 'Before mission', type: 'bool', default: true },
          { key: 'allowedPostMission', label: 'After mission', type: 'bool', default: true },
          { key: 'votingThreshold', label: 'Threshold', type: 'decimal', default: 0.5 },
          { key: 'percentageSideVotingThreshold', label: 'Side threshold', type: 'decimal', default: 0.5 },
        ],
      },
    ],
  });
}
