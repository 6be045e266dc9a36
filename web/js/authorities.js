// The authority codes of aswg (src/auth/authorities.c) grouped by area for the user editor.
export const AUTHORITY_GROUPS = [
  { label: 'Server', codes: ['SERVER_START_STOP', 'CONSOLE_LOGS_VIEW', 'UNSAFE_OVERWRITE_STARTUP_PARAMS'] },
  { label: 'Missions', codes: ['MISSIONS_VIEW', 'MISSIONS_ADD', 'MISSIONS_UPDATE', 'MISSIONS_DELETE', 'MISSIONS_UPLOAD', 'MISSIONS_DOWNLOAD'] },
  { label: 'Mods', codes: ['MODS_VIEW', 'MODS_UPDATE', 'MODS_DELETE', 'MODS_UPLOAD'] },
  { label: 'Mod settings', codes: ['MOD_SETTINGS_VIEW', 'MOD_SETTINGS_ADD', 'MOD_SETTINGS_UPDATE', 'MOD_SETTINGS_DELETE'] },
  { label: 'Mod presets', codes: ['MOD_PRESETS_VIEW', 'MOD_PRESETS_ADD', 'MOD_PRESETS_DELETE', 'MOD_PRESETS_SELECT'] },
  { label: 'Workshop', codes: ['WORKSHOP_VIEW', 'WORKSHOP_INSTALL'] },
  { label: 'Difficulty', codes: ['DIFFICULTY_VIEW', 'DIFFICULTY_ADD', 'DIFFICULTY_UPDATE', 'DIFFICULTY_DELETE'] },
  { label: 'CDLC', codes: ['CDLC_VIEW', 'CDLC_UPDATE'] },
  { label: 'Users', codes: ['USERS_VIEW', 'USERS_ADD', 'USERS_UPDATE', 'USERS_DELETE'] },
  {
    label: 'Settings',
    codes: ['GENERAL_SETTINGS_VIEW', 'GENERAL_SETTINGS_SAVE', 'SECURITY_SETTINGS_VIEW', 'SECURITY_SETTINGS_SAVE',
      'NETWORK_SETTINGS_VIEW', 'NETWORK_SETTINGS_SAVE', 'DISCORD_SETTINGS_UPDATE', 'STEAM_SETTINGS_UPDATE',
      'JOBS_SETTINGS_UPDATE'],
  },
];

export const ALL_AUTHORITIES = AUTHORITY_GROUPS.flatMap((g) => g.codes);

const WORDS = {
  SERVER_START_STOP: 'Start and stop', CONSOLE_LOGS_VIEW: 'View console', UNSAFE_OVERWRITE_STARTUP_PARAMS: 'Overwrite command line (unsafe)',
  DISCORD_SETTINGS_UPDATE: 'Discord', STEAM_SETTINGS_UPDATE: 'Steam', JOBS_SETTINGS_UPDATE: 'Jobs',
  GENERAL_SETTINGS_VIEW: 'View general', GENERAL_SETTINGS_SAVE: 'Save general', SECURITY_SETTINGS_VIEW: 'View security',
  SECURITY_SETTINGS_SAVE: 'Save security', NETWORK_SETTINGS_VIEW: 'View network', NETWORK_SETTINGS_SAVE: 'Save network',
};

// "MISSIONS_UPLOAD" -> "Upload" (the group tells the area).
export function authorityLabel(code) {
  if (WORDS[code]) return WORDS[code];
  const last = code.split('_').pop().toLowerCase();
  return last.charAt(0).toUpperCase() + last.slice(1);
}
