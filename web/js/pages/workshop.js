// Steam Workshop: search the Arma 3 Workshop (Steam Web API), install mods with SteamCMD (with
// their dependencies if wanted), and follow the download queue: polled while the page is visible,
// with live progress from the install progress websocket.
import { get, post, del, hasAuthority } from '../api.js';
import {
  el, clear, field, select, button, busy, toast, showError, errorPanel, pageHeader, formatDate, uid,
} from '../ui.js';

const POLL_MS = 3000;
const SOCKET_PATH = '/api/v1/ws/workshop-mod-install-progress';
const SORTS = [
  { value: 'TEXT_RELEVANCE', label: 'Relevance' }, { value: 'POPULARITY', label: 'Most popular' },
  { value: 'TOP_RATED', label: 'Top rated' }, { value: 'MOST_SUBSCRIBERS', label: 'Most subscribers' },
  { value: 'PUBLICATION_DATE', label: 'Newest' }, { value: 'LAST_UPDATED', label: 'Recently updated' },
];
const PERIODS = [
  { value: '0', label: 'Any time' }, { value: '1', label: 'Last day' }, { value: '7', label: 'Last week' },
  { value: '30', label: 'Last month' }, { value: '90', label: 'Last 3 months' }, { value: '365', label: 'Last year' },
];
const MAX_ATTEMPTS = 3;

// Workshop descriptions are BBCode: show them as plain text, shortened.
function plainDescription(text, max = 280) {
  const plain = String(text || '').replace(/\[\/?[a-z0-9*]+(?:=[^\]]*)?\]/gi, ' ').replace(/\s+/g, ' ').trim();
  return plain.length > max ? `${plain.slice(0, max - 1).trimEnd()}…` : plain;
}

// "https://steamcommunity.com/sharedfiles/filedetails/?id=123" or "123" -> "123", else null.
function workshopIdIn(text) {
  const t = text.trim();
  if (/^\d+$/.test(t)) return t;
  const m = /[?&]id=(\d+)/.exec(t);
  return m ? m[1] : null;
}

export async function mount(root) {
  const can = {
    install: hasAuthority('WORKSHOP_INSTALL'),
    steamSettings: hasAuthority('STEAM_SETTINGS_UPDATE'),
  };
  let alive = true;
  let active = false;
  let installed = new Set();     // workshop ids of the installed mods
  const titles = new Map();      // workshop id -> title, from search results and the queue
  const queued = new Map();      // workshop id -> download queue entry (see queueEntry)
  const removedAt = new Map();   // workshop id -> when the admin took it off the queue here
  let pollTimer = null;
  let socket = null;
  let socketTimer = null;
  let socketDelay = 2000;

  const steamLink = (text) => (can.steamSettings ? el('a', { href: '#/settings/steam', text }) : null);

  // ---- installed mods ----
  async function loadInstalled() {
    try {
      const data = await get('/workshop/installed-items');
      installed = new Set(((data && data.mods) || []).map((m) => String(m.fileId)));
    } catch (e) {
      if (!e.authLost) installed = new Set();
    }
    for (const node of root.querySelectorAll('li.workshop-mod')) markInstalled(node);
  }

  // ---- search ----
  const searchText = el('input', { type: 'search', autocomplete: 'off', placeholder: 'ACE3, CBA_A3, RHS…' });
  const byId = el('input', { type: 'checkbox' });
  const sort = select(SORTS, 'TEXT_RELEVANCE');
  const period = select(PERIODS, '0');
  const searchBtn = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Search');
  const searchField = field('Search the Workshop', searchText, { hint: 'Words of the title, or a workshop id or link.' });
  const form = el('form', { class: 'workshop-search', role: 'search', novalidate: true },
    searchField.root, field('Sort by', sort).root, field('Period', period).root,
    el('div', { class: 'form-actions' }, searchBtn),
    field('Search by workshop id', byId).root);
  const results = el('ul', { class: 'workshop-results', id: 'workshop-results', 'aria-label': 'Search results' });
  const searchMessage = el('div', { class: 'search-message' });
  const moreBtn = button('More results', () => busy(moreBtn, () => search(false)), { hidden: true });
  let query = null;   // the search shown: {body, cursor, next}

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(searchBtn, () => search(true));
  });

  async function search(fresh) {
    searchField.error('');
    if (fresh) {
      const text = searchText.value.trim();
      const id = workshopIdIn(text);
      const asId = byId.checked || (!!id && !/^\d+$/.test(text));   // a pasted workshop link
      if (asId && !id) {
        searchField.error('Enter a workshop id (the digits after ?id= in its link).');
        searchText.focus();
        return;
      }
      query = {
        body: { searchText: asId ? id : text, searchByModId: asId, sortingType: sort.value, daysPeriod: Number(period.value) },
        cursor: '*',
      };
    }
    if (!query) return;
    let page;
    try {
      page = await post('/workshop/query', { ...query.body, cursor: query.cursor });
    } catch (e) {
      if (e.authLost) return;
      moreBtn.hidden = true;
      if (fresh) clear(results);
      if (e.code === 'STEAM_API_KEY_MISSING') {
        clear(searchMessage, el('div', { class: 'notice notice-warn', role: 'alert' },
          el('strong', { text: 'Searching the Workshop needs a Steam Web API key.' }),
          el('p', {}, 'Get a key at steamcommunity.com/dev/apikey and enter it in the ',
            steamLink('Steam settings') || 'Steam settings (ask an administrator)', '.')));
      } else {
        clear(searchMessage, el('div', { class: 'notice notice-error', role: 'alert' },
          el('strong', { text: 'The search failed.' }), el('p', { text: e.message })));
      }
      return;
    }
    const mods = (page && page.mods) || [];
    if (fresh) clear(results);
    clear(searchMessage);
    for (const m of mods) {
      titles.set(String(m.fileId), m.title);
      if (!results.querySelector(`li[data-id="${m.fileId}"]`)) results.append(resultItem(m));
    }
    if (fresh && !mods.length) searchMessage.append(el('p', { class: 'muted', role: 'status', text: 'Nothing found.' }));
    const next = page && page.nextCursor;
    moreBtn.hidden = query.body.searchByModId || !mods.length || !next || next === query.cursor;
    query.cursor = next || query.cursor;
  }

  function depBadge(on) {
    return el('span', { class: ['badge', 'dep-state', on ? 'badge-ok' : 'badge-warn'], text: on ? 'installed' : 'not installed' });
  }

  // A search result, or a dependency shown under one, that is installed now.
  function showInstalled(id) {
    for (const node of root.querySelectorAll(`li.workshop-mod[data-id="${CSS.escape(id)}"]`)) markInstalled(node);
    for (const badge of root.querySelectorAll(`.dep-list li[data-id="${CSS.escape(id)}"] .dep-state`)) badge.replaceWith(depBadge(true));
  }

  function markInstalled(node) {
    const on = installed.has(node.dataset.id);
    const badge = node.querySelector('.installed-badge');
    const btn = node.querySelector('button.install');
    if (badge) badge.hidden = !on;
    if (btn) btn.textContent = on ? 'Reinstall' : 'Install';
  }

  function resultItem(m) {
    const id = String(m.fileId);
    const deps = Array.isArray(m.dependencies) ? m.dependencies : [];
    const depsPanel = el('div', { class: 'workshop-deps', id: uid('deps'), hidden: true });
    const withDeps = el('input', { type: 'checkbox', checked: deps.length > 0, disabled: !deps.length });
    const withDepsField = el('label', { class: 'check-inline' }, withDeps,
      deps.length ? ` also ${deps.length} dependenc${deps.length === 1 ? 'y' : 'ies'}` : ' no dependencies');
    withDeps.setAttribute('aria-label', `Also install the dependencies of ${m.title}`);
    const install = button('Install', async () => {
      try {
        await busy(install, () => post('/workshop/install', { fileId: m.fileId, modName: m.title, installDependencies: withDeps.checked }));
        toast(`${m.title} queued for download${withDeps.checked ? ' with its dependencies' : ''}`, 'success');
        track({ fileId: m.fileId, title: m.title, progress: 0, installAttemptCount: 0 });
        pollQueue();
      } catch (e) {
        if (e.code === 'STEAM_CMD_NOT_INSTALLED') showError(e, 'SteamCMD is not set up');
        else showError(e, `${m.title} was not queued`);
      }
    }, { class: 'btn btn-small btn-primary install', 'aria-label': `Install ${m.title}`, disabled: !active,
      title: active ? null : 'SteamCMD is not set up' });
    const depsBtn = el('button', { type: 'button', class: 'btn btn-small', 'aria-expanded': 'false', 'aria-controls': depsPanel.id,
      'aria-label': `Dependencies of ${m.title}` }, 'Dependencies');
    depsBtn.addEventListener('click', async () => {
      const show = depsPanel.hidden;
      depsPanel.hidden = !show;
      depsBtn.setAttribute('aria-expanded', String(show));
      if (show) await busy(depsBtn, () => loadDependencies(m, depsPanel));
    });
    const item = el('li', { class: 'workshop-mod', dataset: { id } },
      m.previewUrl ? el('img', { class: 'workshop-thumb', src: m.previewUrl, alt: '', loading: 'lazy', referrerpolicy: 'no-referrer' })
        : el('span', { class: 'workshop-thumb', 'aria-hidden': 'true' }),
      el('div', { class: 'workshop-body' },
        el('div', { class: 'workshop-title' },
          el('a', { href: m.modWorkshopUrl, target: '_blank', rel: 'noopener noreferrer', text: m.title }), ' ',
          el('span', { class: 'badge badge-ok installed-badge', text: 'installed', hidden: true })),
        el('span', { class: 'meta', text: [`id ${id}`, m.lastUpdate ? `updated ${formatDate(m.lastUpdate)}` : null,
          deps.length ? `${deps.length} dependenc${deps.length === 1 ? 'y' : 'ies'}` : null].filter(Boolean).join(' · ') }),
        m.description ? el('p', { class: 'workshop-desc', text: plainDescription(m.description) }) : null,
        el('div', { class: 'workshop-actions' },
          can.install ? [withDepsField, install] : null,
          deps.length ? depsBtn : null),
        depsPanel));
    const img = item.querySelector('img');
    if (img) img.addEventListener('error', () => img.replaceWith(el('span', { class: 'workshop-thumb', 'aria-hidden': 'true' })));
    markInstalled(item);
    return item;
  }

  async function loadDependencies(m, panel) {
    clear(panel, el('p', { class: 'loading', text: 'Loading…' }));
    try {
      const data = await get(`/workshop/mod/${m.fileId}/dependencies`);
      const deps = (data && data.dependencies) || [];
      for (const d of deps) if (d.modName) titles.set(String(d.modId), d.modName);
      clear(panel, deps.length ? el('ul', { class: 'dep-list', 'aria-label': `Dependencies of ${m.title}` }, deps.map((d) => el('li', { dataset: { id: String(d.modId) } },
        el('span', { text: d.modName || `workshop item ${d.modId}` }), ' ', el('span', { class: 'meta', text: String(d.modId) }), ' ',
        depBadge(d.status === 'INSTALLED' || installed.has(String(d.modId))))))
        : el('p', { class: 'muted', text: 'No dependencies.' }));
    } catch (e) {
      if (e.authLost) return;
      clear(panel, el('p', { class: 'field-error', role: 'alert', text: e.code === 'STEAM_API_KEY_MISSING'
        ? 'Looking up dependencies needs a Steam Web API key (Steam settings).' : e.message }));
    }
  }

  // ---- the download queue ----
  const queueList = el('ul', { class: 'download-queue', id: 'download-queue', 'aria-label': 'Download queue' });
  const queueEmpty = el('p', { class: 'muted', text: 'Nothing is being downloaded.' });
  const liveBadge = el('span', { class: 'badge', text: 'connecting', title: 'Live progress from aswg' });
  const clearDone = button('Clear finished', () => {
    for (const [id, q] of queued) {
      if (q.state === 'done' || q.state === 'failed') {
        q.node.remove();
        queued.delete(id);
      }
    }
    updateQueueChrome();
  }, { kind: 'ghost', hidden: true });

  function updateQueueChrome() {
    queueEmpty.hidden = queued.size > 0;
    clearDone.hidden = ![...queued.values()].some((q) => q.state === 'done' || q.state === 'failed');
  }

  // Progress: 0 queued, 1-49 downloading (SteamCMD's download growing), 50 downloaded, 75 linked.
  function statusText(q) {
    if (q.state === 'done') return 'Installed';
    if (q.state === 'gaveUp') return `Failed ${q.attempts} times: ${q.lastError || 'see the server console'}`;
    if (q.state === 'failed') return q.why || 'Removed from the queue';
    if (q.progress >= 75) return 'Registering the mod…';
    if (q.progress >= 50) return 'Downloaded, linking into the mods directory…';
    if (q.progress > 0) return `Downloading… ${Math.round(((q.progress - 1) * 100) / 48)} %`;
    if (q.attempts > 0) {
      return `Waiting to try again (attempt ${q.attempts + 1} of ${MAX_ATTEMPTS})${q.lastError ? ` — last time: ${q.lastError}` : ''}`;
    }
    return 'Waiting for SteamCMD…';
  }

  function paint(q) {
    q.bar.value = q.state === 'done' ? 100 : q.progress;
    q.status.textContent = statusText(q);
    q.name.textContent = q.title;
    q.node.dataset.state = q.state;
    q.who.textContent = q.issuer ? `queued by ${q.issuer}` : '';
    q.actions.hidden = !can.install || (q.state !== 'queued' && q.state !== 'gaveUp');
    q.retry.hidden = q.state !== 'gaveUp';
  }

  async function retry(q) {
    await post('/workshop/install', { fileId: Number(q.id), modName: q.title });
    q.state = 'queued';
    q.attempts = 0;
    q.progress = 0;
    q.lastError = '';
    paint(q);
    toast(`${q.title} queued again`, 'success');
  }

  async function remove(q) {
    try {
      await del(`/workshop/download-queue/${q.id}`);
    } catch (e) {
      if (e.status !== 404) throw e;      // gone already
    }
    removedAt.set(q.id, Date.now());
    q.node.remove();
    queued.delete(q.id);
    updateQueueChrome();
  }

  // Adds or updates a queue entry from a queue row {fileId, title, installAttemptCount, issuer,
  // progress} or a progress frame of the websocket ({fileId, progress}, live).
  function track(row, { live = false } = {}) {
    const id = String(row.fileId);
    let q = queued.get(id);
    if (!q) {
      const bar = el('progress', { max: 100, value: 0 });
      q = {
        id, state: 'queued', progress: 0, attempts: 0, issuer: '', lastError: '', title: titles.get(id) || `Workshop item ${id}`,
        bar, status: el('span', { class: 'queue-status' }), name: el('span', { class: 'queue-name' }), who: el('span', { class: 'meta' }),
      };
      const act = (fn) => (e) => busy(e.currentTarget, () => fn(q).catch((err) => showError(err)));
      q.retry = button('Retry', act(retry), { kind: 'ghost', hidden: true });
      q.actions = el('div', { class: 'queue-actions' }, q.retry,
        button('Remove', act(remove), { kind: 'ghost', title: 'Take it off the download queue' }));
      q.node = el('li', { class: 'queued-mod', dataset: { id } },
        el('div', { class: 'queue-head' }, q.name, el('span', { class: 'meta', text: `id ${id}` }), q.who), bar, q.status, q.actions);
      queued.set(id, q);
      queueList.append(q.node);
    } else if (q.state !== 'queued') {
      // a late frame of the finished download changes nothing; a new queue entry starts over
      if (live && row.progress !== 0) return q;
      q.state = 'queued';
      q.progress = 0;
      q.why = '';
    }
    if (row.title) {
      q.title = /^dependency of /.test(row.title) ? `${titles.get(id) || `Workshop item ${id}`} (${row.title})` : row.title;
    }
    if (typeof row.progress === 'number') q.progress = Math.max(q.progress, row.progress);
    if (typeof row.installAttemptCount === 'number') q.attempts = row.installAttemptCount;
    if (row.issuer) q.issuer = row.issuer;
    if (row.lastError !== undefined) q.lastError = row.lastError || '';
    if (row.failed === true) q.state = 'gaveUp';
    q.bar.setAttribute('aria-label', `Download progress of ${q.title}`);
    paint(q);
    updateQueueChrome();
    return q;
  }

  function finish(q, state, why) {
    q.state = state;
    q.why = why;
    if (state === 'done') q.progress = 100;
    paint(q);
    updateQueueChrome();
  }

  async function pollQueue() {
    clearTimeout(pollTimer);
    const asked = Date.now();
    try {
      const data = await get('/workshop/download-queue');
      // a queue read before the admin removed an entry must not bring it back
      const rows = ((data && data.mods) || []).filter((r) => !(removedAt.get(String(r.fileId)) >= asked));
      const now = new Set(rows.map((r) => String(r.fileId)));
      for (const r of rows) track(r);
      const gone = [...queued.values()].filter((q) => (q.state === 'queued' || q.state === 'gaveUp') && !now.has(q.id));
      if (gone.length) {
        await loadInstalled();
        for (const q of gone) {
          if (q.progress >= 100 || installed.has(q.id)) {
            finish(q, 'done');
            showInstalled(q.id);
          }
          else finish(q, 'failed', 'Removed from the queue');
        }
      }
    } catch (e) {
      if (e.authLost) return;
    }
    if (alive && document.visibilityState === 'visible') pollTimer = setTimeout(pollQueue, POLL_MS);
  }
  const onVisibility = () => {
    if (!alive) return;
    if (document.visibilityState === 'visible') pollQueue();
    else clearTimeout(pollTimer);
  };
  document.addEventListener('visibilitychange', onVisibility);

  // Live progress: {"fileId":N,"status":0|50|75|100} text frames, sent to every client.
  function connectSocket() {
    if (!alive) return;
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${SOCKET_PATH}`;
    try {
      socket = new WebSocket(url);
    } catch {
      socketClosed();
      return;
    }
    socket.addEventListener('open', () => {
      socketDelay = 2000;
      liveBadge.textContent = 'live';
      liveBadge.className = 'badge badge-ok';
    });
    socket.addEventListener('message', (e) => {
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      if (!msg || msg.fileId === undefined || typeof msg.status !== 'number') return;
      // after a removal only a new "queued" (0) brings the entry back
      if (removedAt.has(String(msg.fileId))) {
        if (msg.status !== 0) return;
        removedAt.delete(String(msg.fileId));
      }
      const q = track({ fileId: msg.fileId, progress: msg.status }, { live: true });
      if (msg.status >= 100 && q.state === 'queued') {
        installed.add(q.id);
        finish(q, 'done');
        showInstalled(q.id);
        toast(`${q.title} installed`, 'success');
      }
    });
    socket.addEventListener('close', socketClosed);
  }
  function socketClosed() {
    socket = null;
    if (!alive) return;
    liveBadge.textContent = 'polling';
    liveBadge.className = 'badge badge-warn';
    liveBadge.title = 'No live progress: the queue is looked at every few seconds';
    socketTimer = setTimeout(connectSocket, socketDelay);
    socketDelay = Math.min(socketDelay * 2, 60000);
  }

  // ---- page ----
  const cleanup = () => {
    alive = false;
    clearTimeout(pollTimer);
    clearTimeout(socketTimer);
    document.removeEventListener('visibilitychange', onVisibility);
    if (socket) {
      socket.removeEventListener('close', socketClosed);
      socket.close();
    }
  };
  const header = pageHeader('Steam Workshop');
  try {
    active = !!(await get('/workshop/active')).active;
  } catch (e) {
    root.append(header, errorPanel(e, 'the Workshop'));
    return cleanup;
  }
  root.append(header);
  if (!active) {
    root.append(el('div', { class: 'notice notice-warn', role: 'status', id: 'steamcmd-missing' },
      el('strong', { text: 'SteamCMD is not set up.' }),
      el('p', {}, 'aswg downloads Workshop mods with SteamCMD. Set the path of the steamcmd executable in the ',
        steamLink('Steam settings') || 'Steam settings (ask an administrator)', ' before installing mods.')));
  }
  if (can.install) {
    root.append(el('section', { class: 'card', 'aria-labelledby': 'ws-search-h' },
      el('h2', { id: 'ws-search-h', text: 'Search' }), form, searchMessage, results,
      el('div', { class: 'form-actions' }, moreBtn)));
  } else {
    root.append(el('p', { class: 'muted', text: 'Searching and installing Workshop mods needs the authority WORKSHOP_INSTALL.' }));
  }
  root.append(el('section', { class: 'card', 'aria-labelledby': 'ws-queue-h' },
    el('div', { class: 'section-head' }, el('h2', { id: 'ws-queue-h' }, 'Download queue ', liveBadge), clearDone),
    queueEmpty, queueList));
  updateQueueChrome();
  await loadInstalled();
  pollQueue();
  connectSocket();
  return cleanup;
}
