// The aswg web API v1: a fetch wrapper that sends the login token, turns error bodies
// ({message, code, status}) into ApiError, and reports a lost login once.

const SESSION_KEY = 'aswg.session';
const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
  // The login is gone (expired, revoked or garbled token): the app sends the user to the login page.
  get authLost() {
    return this.status === 401 || ['AUTH_TOKEN_EXPIRED', 'BAD_AUTH_TOKEN', 'AUTH_TOKEN_MISSING'].includes(this.code);
  }
}

// ---- the session: token, user name and authorities, kept for this browser tab only ----
export function session() {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
    return s && typeof s.token === 'string' ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(s) {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
}

export function clearSession() {
  sessionStorage.removeItem(SESSION_KEY);
}

export function hasAuthority(code) {
  const s = session();
  return !!s && Array.isArray(s.authorities) && s.authorities.includes(code);
}

let authLostHandler = () => {};
export function onAuthLost(fn) {
  authLostHandler = fn;
}

function authLost(err) {
  if (!session()) return;
  clearSession();
  authLostHandler(err);
}

async function errorFrom(res) {
  let body = null;
  try {
    body = JSON.parse(await res.text());
  } catch { /* not JSON */ }
  const message = body && typeof body.message === 'string' && body.message
    ? body.message : `${res.status} ${res.statusText || 'error'}`.trim();
  return new ApiError(res.status, body && body.code ? body.code : '', message);
}

function authHeaders(extra = {}) {
  const s = session();
  return s ? { ...extra, Authorization: `Bearer ${s.token}` } : { ...extra };
}

// One API call. body (if given) is sent as JSON; the answer is parsed JSON, or null for an empty
// body. Options: signal (AbortSignal), raw (return the Response), anonymous (send no token).
export async function api(method, path, body, { signal, raw = false, anonymous = false } = {}) {
  const headers = anonymous ? {} : authHeaders();
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(BASE + path, { method, headers, body: payload, signal, cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK_ERROR', 'Cannot reach aswg. Check your connection.');
  }
  if (!res.ok) {
    const err = await errorFrom(res);
    if (err.authLost && !anonymous) authLost(err);
    throw err;
  }
  if (raw) return res;
  const text = await res.text();
  if (!text) return null;
  // Only JSON is data: a 200 page from something in between (a proxy's login form) must not be
  // taken for an empty list or, worse, saved back as settings.
  if (!/json/i.test(res.headers.get('Content-Type') || '')) throw notJson(res);
  try {
    return JSON.parse(text);
  } catch {
    throw notJson(res);
  }
}

function notJson(res) {
  return new ApiError(res.status, 'NOT_JSON',
    `aswg's answer was not JSON (${res.headers.get('Content-Type') || 'no type'}): is a proxy in the way? Reload the page.`);
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body === undefined ? {} : body, opts);
export const put = (path, body, opts) => api('PUT', path, body, opts);
export const del = (path, body, opts) => api('DELETE', path, body, opts);

export const enc = encodeURIComponent;

// Uploads one file as multipart part "file" with XMLHttpRequest (fetch has no upload progress).
// onProgress(fraction 0..1). Resolves on 2xx, rejects with ApiError otherwise.
export function uploadFile(path, file, { overwrite = false, onProgress = () => {} } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', BASE + path);
    const s = session();
    if (s) xhr.setRequestHeader('Authorization', `Bearer ${s.token}`);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
        return;
      }
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch { /* not JSON */ }
      const err = new ApiError(xhr.status, body && body.code ? body.code : '',
        body && body.message ? body.message : `${xhr.status} ${xhr.statusText || 'error'}`);
      if (err.authLost) authLost(err);
      reject(err);
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'NETWORK_ERROR',
      'The upload was interrupted (connection closed). The file may be larger than the server accepts.')));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'ABORTED', 'Upload cancelled')));
    const form = new FormData();
    form.append('overwrite', overwrite ? 'true' : 'false');
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

// Downloads an authenticated file: fetched as a blob (a plain link could not send the token),
// then saved through a temporary object URL.
export async function download(path, fallbackName) {
  const res = await api('GET', path, undefined, { raw: true });
  const blob = await res.blob();
  const disposition = res.headers.get('Content-Disposition') || '';
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  let name = fallbackName;
  if (m) {
    try {
      name = decodeURIComponent(m[1]);
    } catch {
      name = m[1];
    }
  }
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return name;
}

// Reads a Server-Sent Events stream with fetch (EventSource cannot send the Authorization
// header). onEvent({event, data}) for every event; resolves when the stream ends.
export async function readEventStream(path, { signal, onOpen = () => {}, onEvent }) {
  const res = await api('GET', path, undefined, { raw: true, signal });
  onOpen(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = '';
  let data = [];
  const dispatch = () => {
    if (data.length) onEvent({ event: event || 'message', data: data.join('\n') });
    event = '';
    data = [];
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let nl;
    while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
      if (nl === buffer.length - 1 && buffer[nl] === '\r') break; // maybe the first half of \r\n
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
      if (line === '') {
        dispatch();
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let val = colon < 0 ? '' : line.slice(colon + 1);
      if (val.startsWith(' ')) val = val.slice(1);
      if (field === 'event') event = val;
      else if (field === 'data') data.push(val);
    }
  }
}
