// The app shell: hash routing (#/missions), the layout (navigation, user, logout, theme) and the
// login guard. Each page is an ES module under pages/ exporting mount(root, ctx) that may return
// a cleanup function (stop polling, close streams) called when the user leaves the page.
import { get, post, session, saveSession, clearSession, onAuthLost, hasAuthority } from './api.js';
import { el, clear, loading, errorPanel, toast, themeButton } from './ui.js';

// Who may open a page: any one of `any` (empty = every logged-in user).
export const ROUTES = [
  { path: 'status', title: 'Status', module: 'status', any: [] },
  { path: 'missions', title: 'Missions', module: 'missions', any: ['MISSIONS_VIEW'], atStart: true },
  { path: 'mods', title: 'Mods', module: 'mods', any: ['MODS_VIEW'], atStart: true },
  { path: 'presets', title: 'Presets', module: 'presets', any: ['MOD_PRESETS_VIEW'], atStart: true },
  { path: 'mod-settings', title: 'Mod settings', module: 'mod-settings', any: ['MOD_SETTINGS_VIEW'], atStart: true },
  { path: 'workshop', title: 'Workshop', module: 'workshop', any: ['WORKSHOP_VIEW'] },
  { path: 'difficulties', title: 'Difficulty', module: 'difficulties', any: ['DIFFICULTY_VIEW'], atStart: true },
  { path: 'cdlc', title: 'CDLC', module: 'cdlc', any: ['CDLC_VIEW'], atStart: true },
  { path: 'jobs', title: 'Jobs', module: 'jobs', any: ['JOBS_SETTINGS_UPDATE'] },
  { path: 'discord', title: 'Discord', module: 'discord', any: ['DISCORD_SETTINGS_UPDATE'] },
  { path: 'users', title: 'Users', module: 'users', any: ['USERS_VIEW'] },
  { path: 'settings/general', title: 'General', group: 'Settings', module: 'general', any: ['GENERAL_SETTINGS_VIEW'], atStart: true },
  { path: 'settings/security', title: 'Security', group: 'Settings', module: 'security', any: ['SECURITY_SETTINGS_VIEW'], atStart: true },
  { path: 'settings/network', title: 'Network', group: 'Settings', module: 'network', any: ['NETWORK_SETTINGS_VIEW'], atStart: true },
  { path: 'settings/logging', title: 'Logging', group: 'Settings', module: 'logging', any: [] },
  { path: 'settings/steam', title: 'Steam', group: 'Settings', module: 'steam', any: ['STEAM_SETTINGS_UPDATE'] },
];
const DEFAULT_ROUTE = 'status';

const app = document.getElementById('app');
let shell = null;          // {main, nav, user, version} once the layout is built
let cleanup = null;        // of the current page
let renderToken = 0;       // drops the result of a page load the user already navigated away from

const allowed = (route) => route.any.length === 0 || route.any.some(hasAuthority);

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  return { path: path.replace(/\/+$/, ''), params: new URLSearchParams(query) };
}

export function navigate(path) {
  location.hash = `#/${path}`;
}

// ---- layout ----
function buildNav() {
  const list = el('ul', { class: 'nav-list' });
  let group = null;
  for (const route of ROUTES) {
    if (!allowed(route)) continue;
    if (route.group && route.group !== group) {
      group = route.group;
      list.append(el('li', { class: 'nav-group', text: group }));
    }
    list.append(el('li', {}, el('a', { href: `#/${route.path}`, dataset: { path: route.path } }, route.title)));
  }
  return list;
}

// The phone menu (the nav behind ☰): opening moves the focus into it; Escape or a tap elsewhere
// closes it, as menus do.
function setMenu(open) {
  if (!shell) return;
  shell.menu.setAttribute('aria-expanded', String(open));
  shell.nav.classList.toggle('open', open);
  if (open) shell.nav.querySelector('a')?.focus();
}
const menuOpen = () => !!shell && shell.menu.getAttribute('aria-expanded') === 'true';
document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape' || !menuOpen()) return;
  setMenu(false);
  shell.menu.focus();
});
document.addEventListener('click', (e) => {
  if (menuOpen() && !shell.nav.contains(e.target) && !shell.menu.contains(e.target)) setMenu(false);
});

function buildShell() {
  const s = session();
  const nav = el('nav', { id: 'nav', class: 'nav', 'aria-label': 'Main' });
  const menu = el('button', { type: 'button', class: 'btn btn-ghost menu-toggle', 'aria-expanded': 'false', 'aria-controls': 'nav' }, '☰ Menu');
  menu.addEventListener('click', () => setMenu(menu.getAttribute('aria-expanded') !== 'true'));
  const main = el('main', { id: 'main', class: 'main', tabindex: '-1' });
  const user = el('span', { class: 'user-name', title: 'Logged in user', text: s ? s.username : '' });
  const version = el('span', { class: 'version' });
  const brandName = el('span', { class: 'brand-name', text: 'ASWG' });
  const skip = el('a', { class: 'skip-link', href: '#main', text: 'Skip to content' });
  skip.addEventListener('click', (e) => {
    e.preventDefault();
    main.focus();
  });
  const logout = el('button', { type: 'button', class: 'btn btn-ghost logout' }, 'Log out');
  logout.addEventListener('click', doLogout);
  clear(app,
    skip,
    el('header', { class: 'topbar' },
      menu,
      el('a', { class: 'brand', href: `#/${DEFAULT_ROUTE}` }, el('img', { src: '/favicon.svg', alt: '', width: 24, height: 24 }), brandName, version),
      el('div', { class: 'topbar-spacer' }),
      themeButton(),
      el('span', { class: 'user' }, el('span', { class: 'visually-hidden', text: 'Logged in as ' }), user),
      logout),
    el('div', { class: 'shell' }, nav, main));
  shell = { main, nav, user, version, brandName, menu };
  nav.append(buildNav());
  get('/actuator/info', { anonymous: true }).then((info) => {
    const a = info && info.application;
    if (!a) return;
    if (a.name) brandName.textContent = a.name;
    if (a.version) version.textContent = `v${a.version}`;
    if (a.description) brandName.title = a.description;
  }).catch(() => {});
  refreshMyself();
}

// The user's name and authorities from the server (they may have changed since the login).
async function refreshMyself() {
  try {
    const me = await get('/auth/myself');
    const s = session();
    if (!s || !me) return;
    const changed = JSON.stringify(s.authorities) !== JSON.stringify(me.authorities);
    saveSession({ ...s, username: me.username, authorities: me.authorities || [] });
    if (!shell) return;
    shell.user.textContent = me.username;
    if (changed) {
      clear(shell.nav, buildNav());
      render();   // the page shown may be allowed no longer (or only now)
    }
  } catch { /* a lost login is handled by onAuthLost; the rest can wait for the next page */ }
}

async function doLogout() {
  try {
    await post('/auth/logout', {});
  } catch { /* the token is dropped here either way */ }
  clearSession();
  showLogin('');
  toast('You have been logged out.', 'info');
}

function markActive(path) {
  if (!shell) return;
  for (const a of shell.nav.querySelectorAll('a')) {
    if (a.dataset.path === path) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function stopPage() {
  if (cleanup) {
    try {
      cleanup();
    } catch { /* ignore */ }
    cleanup = null;
  }
}

// ---- pages ----
async function showLogin(next) {
  stopPage();
  shell = null;
  const token = ++renderToken;
  const target = `#/login${next ? `?next=${encodeURIComponent(next)}` : ''}`;
  if (location.hash !== target) history.replaceState(null, '', target);
  document.title = 'Log in · aswg';
  const mod = await import('./pages/login.js');
  if (token !== renderToken) return;
  clear(app);
  cleanup = mod.mount(app, { next, onLoggedIn }) || null;
}

function onLoggedIn(result, username, next) {
  saveSession({ token: result.jwt, username, authorities: result.authorities || [] });
  const route = ROUTES.find((r) => r.path === next.split('?')[0]);
  history.replaceState(null, '', `#/${route ? next : DEFAULT_ROUTE}`);
  render();
}

async function render() {
  const { path, params } = parseHash();
  if (!session()) {
    showLogin(path && path !== 'login' ? location.hash.replace(/^#\/?/, '') : '');
    return;
  }
  if (path === 'login' || path === '') {
    history.replaceState(null, '', `#/${params.get('next') || DEFAULT_ROUTE}`);
    return render();
  }
  const route = ROUTES.find((r) => r.path === path);
  stopPage();
  if (!shell) buildShell();
  if (menuOpen()) setMenu(false);
  markActive(path);
  const token = ++renderToken;
  const main = clear(shell.main);
  if (!route) {
    document.title = 'Not found · aswg';
    main.append(el('h1', { text: 'Page not found' }), el('p', {}, 'There is no page here. ',
      el('a', { href: `#/${DEFAULT_ROUTE}`, text: 'Go to the server status.' })));
    return;
  }
  document.title = `${route.title} · aswg`;
  if (!allowed(route)) {
    main.append(el('h1', { text: route.title }), el('div', { class: 'notice notice-warn', role: 'status' },
      el('strong', { text: 'You do not have access to this page.' }),
      el('p', { text: `It needs one of these authorities: ${route.any.join(', ')}.` })));
    return;
  }
  // The page builds itself out of sight; "Loading…" stays until its first data is in.
  const waiting = loading();
  const view = el('div', { class: 'page-view', hidden: true });
  main.append(waiting, view);
  try {
    const mod = await importPage(route.module);
    if (token !== renderToken) return;
    const result = await mod.mount(view, { params, navigate, route });
    if (token !== renderToken) {
      if (typeof result === 'function') result();
      return;
    }
    cleanup = typeof result === 'function' ? result : null;
    waiting.remove();
    view.hidden = false;
    if (route.atStart) noteRunningServer(view, token);
  } catch (e) {
    if (token !== renderToken || (e && e.authLost)) return;
    clear(main, el('h1', { text: route.title }), e && e.moduleMissing
      ? el('div', { class: 'notice notice-error', role: 'alert' },
        el('strong', { text: 'aswg could not be reached to load this page.' }),
        el('p', { text: 'When it answers again, reload.' }),
        el('button', { type: 'button', class: 'btn btn-primary', onclick: () => location.reload() }, 'Reload'))
      : errorPanel(e, 'this page'));
  }
}

// What these pages change reaches the game only when it (re)starts: say so while it runs.
async function noteRunningServer(view, token) {
  let state = 'OFFLINE';
  try {
    const s = await get('/status');
    state = (s && s.status && s.status.status) || 'OFFLINE';
  } catch {
    return;
  }
  if (token !== renderToken || state === 'OFFLINE') return;
  view.prepend(el('div', { class: 'notice notice-info', role: 'status', id: 'server-running-note' },
    el('strong', { text: 'The Arma server is running. ' }),
    'Changes made here apply when it next starts (',
    el('a', { href: '#/status', text: 'Status' }), ').'));
}

// A page's module. The browser remembers a failed import for good (aswg was down): the second try
// asks again under another URL.
async function importPage(module) {
  try {
    return await import(`./pages/${module}.js`);
  } catch {
    try {
      return await import(`./pages/${module}.js?retry=${Date.now()}`);
    } catch (e) {
      const err = new Error(`The page could not be loaded: ${e && e.message}`);
      err.moduleMissing = true;
      throw err;
    }
  }
}

onAuthLost(() => {
  const { path } = parseHash();
  const next = path && path !== 'login' ? location.hash.replace(/^#\/?/, '') : '';
  showLogin(next).then(() => toast('Your login has expired. Please log in again.', 'info'));
});

window.addEventListener('hashchange', render);
render();
