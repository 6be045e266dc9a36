// Server status: state and players (polled while the page is visible), start/stop with an
// optional update, and the live console (latest lines, then the SSE stream).
import { get, post, readEventStream, hasAuthority } from '../api.js';
import { el, add, clear, field, busy, toast, showError, pageHeader, formatDate } from '../ui.js';

const POLL_MS = 4000;
const POLL_BUSY_MS = 1000;     // while the state is changing (starting, updating, stopping)
const MAX_LINES = 3000;
const RECONNECT_MS = 5000;
const STATE_TEXT = {
  OFFLINE: 'Offline', STARTING: 'Starting', UPDATING: 'Updating',
  RUNNING_BUT_NOT_DETECTED_BY_STEAM: 'Running but not detected by Steam', ONLINE: 'Online',
};

export function mount(root) {
  const canToggle = hasAuthority('SERVER_START_STOP');
  const canConsole = hasAuthority('CONSOLE_LOGS_VIEW');
  let alive = true;
  let pollTimer = null;
  let current = null;

  // ---- state and players ----
  const stateBox = el('div', { class: 'server-state', role: 'status', 'aria-live': 'polite' },
    el('span', { class: 'dot', 'aria-hidden': 'true' }), el('span', { class: 'state-text', text: 'Checking…' }));
  const stateError = el('p', { class: 'form-error', role: 'alert', hidden: true });
  const details = el('dl', { class: 'facts', hidden: true });
  const players = el('ul', { class: 'player-list', 'aria-label': 'Players' });
  const playerCount = el('span', { class: 'count' });
  const update = el('input', { type: 'checkbox' });
  const startBtn = el('button', { type: 'button', class: 'btn btn-primary' }, 'Start server');
  const stopBtn = el('button', { type: 'button', class: 'btn btn-danger' }, 'Stop server');

  function showState(s) {
    current = s.status && s.status.status ? s.status.status : 'OFFLINE';
    stateBox.className = `server-state state-${current}`;
    stateBox.lastChild.textContent = (s.status && s.status.statusText) || STATE_TEXT[current] || current;
    const running = current !== 'OFFLINE';
    startBtn.disabled = running;
    stopBtn.disabled = current === 'OFFLINE';
    // aswg's extra process details (not in ASWG's API), shown when the server sends them
    const p = s.server && typeof s.server === 'object' ? s.server : {};
    const steam = p.steam && typeof p.steam === 'object' ? p.steam : null;
    const facts = [
      steam && steam.name ? ['Server name', steam.name] : null,
      steam && (steam.map || steam.mission) ? ['Mission', [steam.mission, steam.map].filter(Boolean).join(' on ')] : null,
      steam && typeof steam.players === 'number' ? ['Players', `${steam.players} / ${steam.maxPlayers}`] : null,
      p.pid > 0 ? ['Process', `pid ${p.pid}${p.adopted ? ' (found running when aswg started: its output does not reach the console below)' : ''}`] : null,
      p.startedAt ? ['Started', formatDate(p.startedAt)] : null,
      p.lastExit ? ['Last exit', p.lastExit] : null,
      p.restartAt ? ['Restarts at', formatDate(p.restartAt)] : null,
    ].filter(Boolean);
    clear(details, facts.map(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
    details.hidden = !facts.length;
    const list = Array.isArray(s.playerList) ? s.playerList : [];
    playerCount.textContent = `(${list.length})`;
    clear(players, ...(list.length ? list.map((p) => el('li', { text: p.name }))
      : [el('li', { class: 'muted', text: current === 'ONLINE' ? 'Nobody is playing.' : 'The server is not online.' })]));
  }

  let busyUntil = 0;   // after a start or stop request, look more often for a while
  async function poll() {
    clearTimeout(pollTimer);
    try {
      showState(await get('/status'));
      stateError.hidden = true;
    } catch (e) {
      if (e.authLost) return;
      stateBox.className = 'server-state';
      stateBox.lastChild.textContent = 'Unknown';
      stateError.textContent = e.status === 404
        ? 'The server status is not available from this aswg yet (404).' : `Could not get the status: ${e.message}`;
      stateError.hidden = false;
      // what was shown before is no longer known to be true
      details.hidden = true;
      playerCount.textContent = '';
      clear(players, el('li', { class: 'muted', text: 'Unknown while aswg does not answer.' }));
      current = null;
      startBtn.disabled = true;
      stopBtn.disabled = true;
    }
    const changing = ['STARTING', 'UPDATING'].includes(current) || Date.now() < busyUntil;
    if (alive && document.visibilityState === 'visible') pollTimer = setTimeout(poll, changing ? POLL_BUSY_MS : POLL_MS);
  }
  const onVisibility = () => {
    if (document.visibilityState === 'visible' && alive) poll();
    else clearTimeout(pollTimer);
  };
  document.addEventListener('visibilitychange', onVisibility);

  async function toggle(requestedStatus, btn) {
    try {
      await busy(btn, () => post('/status/toggle', { requestedStatus, performUpdate: requestedStatus === 'ONLINE' && update.checked }));
      toast(requestedStatus === 'ONLINE' ? 'Start requested' : 'Stop requested', 'success');
      busyUntil = Date.now() + 15000;
    } catch (e) {
      showError(e, requestedStatus === 'ONLINE' ? 'Could not start the server' : 'Could not stop the server');
    }
    poll();
  }
  startBtn.addEventListener('click', () => toggle('ONLINE', startBtn));
  stopBtn.addEventListener('click', () => toggle('OFFLINE', stopBtn));

  const controls = canToggle ? el('div', {},
    el('div', { class: 'form-actions' }, startBtn, stopBtn),
    field('Update the server with steamcmd before it starts', update).root) : null;

  // ---- console ----
  const consoleBox = el('pre', { class: 'console', tabindex: '0', 'aria-label': 'Server console', 'aria-live': 'off' });
  const pauseBtn = el('button', { type: 'button', class: 'btn btn-small', 'aria-pressed': 'false' }, 'Pause scrolling');
  const streamState = el('span', { class: 'badge', text: 'connecting' });
  let paused = false;
  let stream = null;
  let reconnectTimer = null;
  pauseBtn.addEventListener('click', () => {
    paused = !paused;
    pauseBtn.setAttribute('aria-pressed', String(paused));
    pauseBtn.textContent = paused ? 'Resume scrolling' : 'Pause scrolling';
    if (!paused) consoleBox.scrollTop = consoleBox.scrollHeight;
  });

  function addLines(lines, cls) {
    const frag = document.createDocumentFragment();
    for (const line of lines) frag.append(el('span', { class: cls || null, text: `${line}\n` }));
    consoleBox.append(frag);
    while (consoleBox.childNodes.length > MAX_LINES) consoleBox.firstChild.remove();
    if (!paused) consoleBox.scrollTop = consoleBox.scrollHeight;
  }

  function setStream(text, kind) {
    streamState.textContent = text;
    streamState.className = `badge ${kind ? `badge-${kind}` : ''}`;
  }

  let retryMs = RECONNECT_MS;
  async function connect() {
    if (!alive) return;
    stream = new AbortController();
    try {
      await readEventStream('/logging/logs-sse', {
        signal: stream.signal,
        onOpen: () => {
          setStream('live', 'ok');
          retryMs = RECONNECT_MS;
        },
        onEvent: ({ event, data }) => {
          if (event === 'message') addLines(data.split('\n'));
        },
      });
      if (!alive) return;
      setStream('disconnected', 'warn');
      addLines(['[console stream ended, reconnecting…]'], 'info-line');
    } catch (e) {
      if (!alive || e.name === 'AbortError' || e.authLost) return;
      setStream('unavailable', 'fail');
      if (e.status === 404 || e.status === 403) {
        addLines([e.status === 404 ? '[the live console is not available from this aswg yet (404)]'
          : `[console stream refused: ${e.message}]`], 'error-line');
        return;   // asking again will not help
      }
      addLines([`[console stream failed: ${e.message}; retrying in ${Math.round(retryMs / 1000)} s]`], 'error-line');
    }
    reconnectTimer = setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 60000);
  }

  async function startConsole() {
    try {
      const data = await get('/logging/latest-logs?lines=500');
      if (!alive) return;
      addLines(Array.isArray(data && data.logs) ? data.logs : []);
    } catch (e) {
      if (!alive || e.authLost) return;
      addLines([e.status === 404 ? '[the server log is not available from this aswg yet (404)]'
        : `[could not load the server log: ${e.message}]`], 'error-line');
    }
    connect();
  }

  add(root, pageHeader('Server status'),
    el('div', { class: 'status-grid' },
      el('section', { class: 'card', 'aria-labelledby': 'state-h' },
        el('h2', { id: 'state-h', text: 'Arma 3 server' }), stateBox, details, stateError, controls),
      el('section', { class: 'card', 'aria-labelledby': 'players-h' },
        el('h2', { id: 'players-h' }, 'Players ', playerCount), players)),
    canConsole ? el('section', { class: 'card', 'aria-labelledby': 'console-h' },
      el('div', { class: 'section-head' },
        el('h2', { id: 'console-h' }, 'Console ', streamState),
        el('div', { class: 'form-actions' }, pauseBtn,
          el('button', { type: 'button', class: 'btn btn-small', onclick: () => clear(consoleBox) }, 'Clear'))),
      consoleBox) : null);

  poll();
  if (canConsole) startConsole();

  return () => {
    alive = false;
    clearTimeout(pollTimer);
    clearTimeout(reconnectTimer);
    if (stream) stream.abort();
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
