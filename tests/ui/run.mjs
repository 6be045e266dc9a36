// Browser test of the aswg web UI: starts the real binary ($ASWG_BINARY) on a free loopback
// port with a temporary config and server directory, a fake Discord webhook, a fake Steam Web API
// and a fake SteamCMD, a fake Arma 3 server (tests/api/fake_arma.py), and drives Debian's chromium
// through Playwright the way an admin would. Screenshots of every page (light and dark; missions
// and mods also on a phone) go to $ASWG_UI_OUT (default: a temp dir).
//
//   node tests/ui/run.mjs            (ASWG_BINARY defaults to build/aswg)
//   ASWG_UI_WEB_DIR=web node tests/ui/run.mjs   serves web/ from disk (no rebuild; the gzip step fails)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BINARY = path.resolve(process.env.ASWG_BINARY || path.resolve(HERE, '../../build/aswg'));
const CHROMIUM = process.env.ASWG_CHROMIUM || '/usr/bin/chromium';
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'aswg-ui-'));
const OUT = process.env.ASWG_UI_OUT || fs.mkdtempSync(path.join(os.tmpdir(), 'aswg-ui-screenshots-'));
const SERVER_DIR = path.join(WORK, 'arma');
const PASSWORD = 'ui-test-Passw0rd';
const MAX_UPLOAD = 64 * 1024;
const DEADLINE_MS = 150_000;

// Without the browser or Playwright the suite cannot run: CTest reports it as skipped (77) on a
// developer's machine, and CI (CI=true) fails.
function missing(what) {
  console.log(`ui tests: ${what}. Install them with: bash scripts/setup-ui-tests.sh`);
  fs.rmSync(WORK, { recursive: true, force: true });
  process.exit(process.env.CI ? 1 : 77);
}
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  missing('playwright-core is not installed in tests/ui (npm ci)');
}
if (!fs.existsSync(CHROMIUM)) missing(`no browser at ${CHROMIUM} (Debian package chromium)`);
if (!fs.existsSync(BINARY)) {
  console.log(`ui tests: no aswg binary at ${BINARY} (set ASWG_BINARY)`);
  process.exit(1);
}

fs.mkdirSync(OUT, { recursive: true });
for (const f of fs.readdirSync(OUT)) if (f.endsWith('.png')) fs.rmSync(path.join(OUT, f));
fs.mkdirSync(path.join(SERVER_DIR, 'GM'), { recursive: true });   // Global Mobilization "installed"

// ---------------------------------------------------------------------------------------------
// PBO files (the format of tests/api/pbo.py: header entries, terminator, data, 0x00 + SHA-1)
function u32s(...values) {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32LE(v, 4 * i));
  return b;
}
function buildPbo(files, prefix = 'ui_test') {
  const parts = [Buffer.from([0]), u32s(0x56657273, 0, 0, 0, 0), Buffer.from(`prefix\0${prefix}\0\0`)];
  for (const [name, data] of files) parts.push(Buffer.from(`${name}\0`), u32s(0, data.length, 0, 0, data.length));
  parts.push(Buffer.from([0]), u32s(0, 0, 0, 0, 0));
  for (const [, data] of files) parts.push(data);
  const body = Buffer.concat(parts);
  return Buffer.concat([body, Buffer.from([0]), createHash('sha1').update(body).digest()]);
}
function missionPbo(briefing, extra = '') {
  const sqm = `version=53;\nclass Mission\n{\n\tclass Intel\n\t{\n\t\tbriefingName="${briefing}";\n\t};\n};\n`;
  const ext = 'onLoadName = "UI Test";\nclass Params\n{\n\tclass Daytime\n\t{\n\t\ttitle = "Time of day";\n'
    + '\t\tvalues[] = {6, 12, 18};\n\t\ttexts[] = {"Morning", "Noon", "Evening"};\n\t\tdefault = 12;\n\t};\n};\n';
  return buildPbo([['mission.sqm', Buffer.from(sqm)], ['description.ext', Buffer.from(ext)], ['init.sqf', Buffer.from(`hint "${extra}";`)]]);
}
const ALPHA = missionPbo('Operation Alpha');
const ALPHA_V2 = missionPbo('Operation Alpha', 'version two');
const BRAVO = missionPbo('Operation Bravo');

// ---------------------------------------------------------------------------------------------
// the fake Discord webhook
const webhookBodies = [];
const webhook = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    try {
      webhookBodies.push({ path: req.url, type: req.headers['content-type'], json: JSON.parse(body) });
    } catch {
      webhookBodies.push({ path: req.url, type: req.headers['content-type'], json: null });
    }
    res.writeHead(204);
    res.end();
  });
});
await new Promise((resolve) => webhook.listen(0, '127.0.0.1', resolve));
const WEBHOOK_URL = `http://127.0.0.1:${webhook.address().port}/api/webhooks/42/ui-test-token`;

// ---------------------------------------------------------------------------------------------
// zip archives (mod uploads): deflated entries, central directory, no directory entries
function makeZip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBuf = Buffer.from(name);
    const packed = zlib.deflateRawSync(data);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);                       // deflate
    local.writeUInt16LE(0x5a00, 12);                 // some date in 2025
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4);                // made by: Unix, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0x5a00, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, packed);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}
const TINY_MOD = makeZip([['@Tiny_Mod/meta.cpp', Buffer.from('publishedid = 333444555;\nname = "Tiny Mod";\n')],
  ['@Tiny_Mod/addons/tiny_main.pbo', Buffer.alloc(3000, 'tiny ')]]);
const TINY_MOD_V2 = makeZip([['@Tiny_Mod/meta.cpp', Buffer.from('publishedid = 333444555;\nname = "Tiny Mod";\n')],
  ['@Tiny_Mod/addons/tiny_v2.pbo', Buffer.alloc(500, 'two ')]]);

// Mod folders as the Arma 3 Launcher or a copy leave them in the mods directory.
const MODS_DIR = path.join(SERVER_DIR, 'mods');
function modFolder(folder, metaCpp, files = [], modCpp = null) {
  const base = path.join(MODS_DIR, folder);
  fs.mkdirSync(path.join(base, 'addons'), { recursive: true });
  if (metaCpp) fs.writeFileSync(path.join(base, 'meta.cpp'), metaCpp);
  if (modCpp) fs.writeFileSync(path.join(base, 'mod.cpp'), modCpp);
  for (const [name, data] of files) fs.writeFileSync(path.join(base, name), data);
}

// An Arma 3 Launcher preset file with these [title, workshop id] mods.
function launcherHtml(name, mods) {
  const rows = mods.map(([title, id]) => `<tr data-type="ModContainer"><td data-type="DisplayName">${title}</td>`
    + '<td><span class="from-steam">Steam</span></td><td><a href="https://steamcommunity.com/sharedfiles/filedetails/'
    + `?id=${id}" data-type="Link">https://steamcommunity.com/sharedfiles/filedetails/?id=${id}</a></td></tr>`).join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<html><head><meta name="arma:Type" content="preset" />\n`
    + `<meta name="arma:PresetName" content="${name}" /><title>Arma 3</title></head><body>\n`
    + `<div class="mod-list"><table>\n${rows}\n</table></div></body></html>\n`;
}

// ---------------------------------------------------------------------------------------------
// the fake Steam Web API (ISteamRemoteStorage/GetPublishedFileDetails, IPublishedFileService
// GetDetails and QueryFiles with two results a page) and the fake SteamCMD
const CBA = 450814997;
const ACE = 463939057;
const RHS = 843577117;
const TFAR = 894678801;
const EM = 333310405;
const swatch = (color) => `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4" fill="${color}"/><rect x="1" y="1" width="2" height="2" fill="#fff"/></svg>`)}`;
const STEAM_ITEMS = {
  [ACE]: { title: 'ACE3', children: [CBA, RHS], updated: 1700000100, color: '#8c2d19',
    description: '[h1]ACE3[/h1] A collaborative merger between AGM, CSE, and ACE for Arma 3. [b]Requires CBA_A3.[/b]' },
  [CBA]: { title: 'CBA_A3', children: [], updated: 1700000000, color: '#2d5c8c', description: 'Community Base Addons for Arma 3.' },
  [RHS]: { title: 'RHS: USAF', children: [], updated: 1700000200, color: '#4d6b2d', description: 'Red Hammer Studios: United States Armed Forces.' },
  [TFAR]: { title: 'Task Force Arrowhead Radio', children: [CBA], updated: 1700000300, color: '#555', description: 'Radio.' },
};
const steamCalls = [];
function steamDetails(id, children) {
  const it = STEAM_ITEMS[id];
  if (!it) return { publishedfileid: String(id), result: 9 };
  const d = { publishedfileid: String(id), result: 1, consumer_app_id: 107410, title: it.title, time_updated: it.updated,
    file_size: '2048', preview_url: swatch(it.color), description: it.description };
  if (children) d.children = it.children.map((c) => ({ publishedfileid: String(c), sortorder: 0, file_type: 0 }));
  return d;
}
const steamApi = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    const url = new URL(req.url, 'http://fake');
    const q = req.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
    steamCalls.push({ method: req.method, path: url.pathname, query: Object.fromEntries(q) });
    let response;
    if (url.pathname.endsWith('/GetPublishedFileDetails/v1/')) {
      const ids = Array.from({ length: Number(q.get('itemcount')) }, (_, i) => q.get(`publishedfileids[${i}]`));
      response = { result: 1, resultcount: ids.length, publishedfiledetails: ids.map((id) => steamDetails(id, false)) };
    } else if (url.pathname.endsWith('/GetDetails/v1/')) {
      response = { publishedfiledetails: [steamDetails(q.get('publishedfileids[0]'), true)] };
    } else {
      const text = (q.get('search_text') || '').toLowerCase();
      const found = Object.keys(STEAM_ITEMS).filter((id) => STEAM_ITEMS[id].title.toLowerCase().includes(text))
        .sort((a, b) => STEAM_ITEMS[b].updated - STEAM_ITEMS[a].updated);
      const second = q.get('cursor') === 'page-2';
      // the real API keeps answering the last cursor once there is nothing more
      response = { total: found.length, next_cursor: 'page-2',
        publishedfiledetails: found.slice(second ? 2 : 0, second ? 4 : 2).map((id) => steamDetails(id, true)) };
    }
    const payload = JSON.stringify({ response });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
    res.end(payload);
  });
});
await new Promise((resolve) => steamApi.listen(0, '127.0.0.1', resolve));

const PYTHON = ['/usr/bin/python3', '/usr/local/bin/python3', '/bin/python3'].find((p) => fs.existsSync(p));
const WORKSHOP_CONTENT = path.join(WORK, 'workshop');
const STEAMCMD = path.join(WORK, 'steamcmd', 'steamcmd.sh');
const STEAMCMD_LOG = path.join(WORK, 'steamcmd-calls.txt');
const STEAMCMD_FAILS = path.join(WORK, 'steamcmd-fails.txt');   // items whose download always fails
fs.mkdirSync(path.dirname(STEAMCMD), { recursive: true });
// It takes its time, so that the queue can be seen waiting; then "downloads" every item asked for
// (those listed in STEAMCMD_FAILS fail).
fs.writeFileSync(STEAMCMD, `#!${PYTHON}
import json, os, sys, time
args = sys.argv[1:]
with open(${JSON.stringify(STEAMCMD_LOG)}, "a") as f:
    f.write(json.dumps(args) + "\\n")
time.sleep(1.0)
for i, a in enumerate(args):
    if a != "+workshop_download_item":
        continue
    item = args[i + 2]
    fails = ${JSON.stringify(STEAMCMD_FAILS)}
    if os.path.exists(fails) and item in open(fails).read().split():
        print("ERROR! Download item %s failed (Access Denied)." % item, flush=True)
        continue
    base = os.path.join(${JSON.stringify(WORKSHOP_CONTENT)}, "107410", item)
    os.makedirs(os.path.join(base, "addons"), exist_ok=True)
    with open(os.path.join(base, "meta.cpp"), "w") as f:
        f.write('publishedid = %s;\\nname = "item %s";\\n' % (item, item))
    with open(os.path.join(base, "addons", "main.pbo"), "w") as f:
        f.write("x" * 2048)
    print('Success. Downloaded item %s to "%s" (2048 bytes)' % (item, base), flush=True)
`, { mode: 0o755 });

// ---------------------------------------------------------------------------------------------
// the fake Arma 3 server: tests/api/fake_arma.py as <server dir>/arma3server_x64 with its
// fake_arma.json; it answers Steam A2S on UDP game port + 1 (a free pair of its own)
async function udpFree(port) {
  const sock = dgram.createSocket('udp4');
  try {
    await new Promise((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(port, '127.0.0.1', resolve);
    });
    return sock.address().port;
  } catch {
    return 0;
  } finally {
    sock.close();
  }
}
async function freeUdpPortPair() {
  for (let i = 0; i < 50; i++) {
    const port = await udpFree(0);
    if (port && port < 65000 && await udpFree(port + 1)) return port;
  }
  throw new Error('no free UDP port pair');
}
const GAME_PORT = await freeUdpPortPair();
function installFakeArma(conf) {
  const source = fs.readFileSync(path.join(HERE, '../api/fake_arma.py'), 'utf8');
  fs.writeFileSync(path.join(SERVER_DIR, 'arma3server_x64'), `#!${PYTHON}\n${source}`, { mode: 0o755 });
  fs.writeFileSync(path.join(SERVER_DIR, 'fake_arma.json'), JSON.stringify(conf));
}
// The pids of every run of the fake (it records each in runs/run-<n>.json).
function fakeArmaPids() {
  const dir = path.join(SERVER_DIR, 'runs');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).map((f) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).pid;
    } catch {
      return 0;   // being written just now
    }
  }).filter((pid) => pid > 0);
}
function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {   // a zombie is gone for our purposes
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop().trim()[0] !== 'Z';
  } catch {
    return false;
  }
}
// aswg leaves a running game server behind on exit (it adopts it when it starts again): a test
// that started one must not.
function killFakeArma() {
  for (const pid of fakeArmaPids()) {
    if (alive(pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch { /* gone meanwhile */ }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// aswg
fs.writeFileSync(path.join(WORK, 'aswg-config.properties'), [
  `aswg.default-user.password=${PASSWORD}`,
  `aswg.server-directory-path=${SERVER_DIR}`,
  'aswg.security.login-rate-limit.attempts-per-minute=10000',
  'aswg.security.rate-limit.requests-per-minute=0',
  `aswg.missions.max-upload-size=${MAX_UPLOAD}`,
  `aswg.mods.max-upload-size=${MAX_UPLOAD}`,
  `aswg.steam.web-api-url=http://127.0.0.1:${steamApi.address().port}`,
  `aswg.server-port=${GAME_PORT}`,
  'aswg.job.mod-update.enabled=false',
  'aswg.steamcmd.retry-delay=200ms',
  // no scheduled run of the job whose runs the test counts
  'aswg.job.missions-scanner.cron=0 0 0 1 1 *',
  process.env.ASWG_UI_WEB_DIR ? `aswg.web-ui.path=${path.resolve(process.env.ASWG_UI_WEB_DIR)}` : '',
  '',
].join('\n'));
const stderrPath = path.join(WORK, 'stderr.txt');
// HOME is the working directory: what the game server keeps there (Arma's profiles default to
// $HOME/.local/share) must not land in the real home.
const aswg = spawn(BINARY, ['--port', '0', '--bind', '127.0.0.1'], {
  cwd: WORK, env: { ...process.env, HOME: WORK }, stdio: ['ignore', fs.openSync(path.join(WORK, 'stdout.txt'), 'w'), fs.openSync(stderrPath, 'w')],
});
let aswgExit = null;
aswg.on('exit', (code, signal) => { aswgExit = { code, signal }; });
aswg.on('error', (e) => { aswgExit = { code: -1, signal: null, error: e.message }; });

async function waitForPort() {
  const until = Date.now() + 15000;
  while (Date.now() < until) {
    if (aswgExit) throw new Error(`aswg exited at start: ${JSON.stringify(aswgExit)}\n${fs.readFileSync(stderrPath, 'utf8')}`);
    const m = /listening on http:\/\/[^ ]*:(\d+)/.exec(fs.readFileSync(stderrPath, 'utf8'));
    if (m) return Number(m[1]);
    await sleep(30);
  }
  throw new Error('aswg did not start');
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const PORT = await waitForPort();
const BASE = `http://127.0.0.1:${PORT}`;

async function api(method, apiPath, body, token) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${BASE}/api/v1${apiPath}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}
const adminToken = (await api('POST', '/auth', { username: 'user', password: PASSWORD })).json.jwt;

// A raw GET (node's http does not decompress: the test sees exactly what was sent).
function rawGet(urlPath, headers = {}) {
  return new Promise((resolve, reject) => {
    http.get(`${BASE}${urlPath}`, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

const serverCfg = () => {
  try {
    return fs.readFileSync(path.join(SERVER_DIR, 'server.cfg'), 'utf8');
  } catch {
    return '';
  }
};
// The rotation in server.cfg: templates in the order of the Missions class.
const cfgRotation = () => [...serverCfg().matchAll(/template = "([^"]+)";/g)].map((m) => m[1]);
// The difficulty server.cfg gives the mission with this template.
function cfgDifficulty(template) {
  const cfg = serverCfg();
  const at = cfg.indexOf(`template = "${template}";`);
  if (at < 0) return null;
  const m = /difficulty = "([a-z]+)";/.exec(cfg.slice(at));
  return m ? m[1] : null;
}

// Polls fn until it returns a truthy value (or the assertion in it passes).
async function eventually(fn, what, timeout = 5000) {
  const until = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = new Error(`not yet: ${what}`);
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${last && last.message}`);
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------
// the browser
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
const page = await context.newPage();
page.setDefaultTimeout(5000);
const pageProblems = [];
function watch(p) {
  p.on('pageerror', (e) => pageProblems.push(`page error: ${e.message}`));
  p.on('console', (m) => {
    // the API's expected 4xx answers (and the status endpoints still missing) show up as
    // "Failed to load resource"; anything else (a CSP violation, an exception) is a bug
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) pageProblems.push(`console: ${m.text()}`);
  });
}
watch(page);

const hash = () => new URL(page.url()).hash;
const toastText = () => page.locator('#toasts .toast').allInnerTexts();
async function expectToast(re) {
  await eventually(async () => (await toastText()).some((t) => re.test(t)), `a toast matching ${re}`);
}

// Screenshots of the current page in both themes (data-theme, as the toggle sets it).
async function shoot(name, viewports = [{ width: 1280, height: 800, tag: 'desktop' }]) {
  const original = page.viewportSize();
  for (const vp of viewports) {
    await page.setViewportSize({ width: vp.width, height: vp.height });
    for (const theme of ['light', 'dark']) {
      await page.evaluate((t) => {
        document.documentElement.dataset.theme = t;
        window.scrollTo(0, 0);
        for (const toast of document.querySelectorAll('#toasts .toast')) toast.remove();
      }, theme);
      await page.screenshot({ path: path.join(OUT, `${name}-${vp.tag}-${theme}.png`), fullPage: vp.tag !== 'desktop' });
    }
  }
  await page.evaluate(() => { delete document.documentElement.dataset.theme; });
  await page.setViewportSize(original);
}

async function login(p, username, password) {
  await p.locator('input[name=username]').fill(username);
  await p.locator('input[name=password]').fill(password);
  await p.locator('input[name=password]').press('Enter');
}

const rotationNames = () => page.locator('#rotation li.mission .mission-name').allInnerTexts();
const available = page.locator('#available li.mission');

// ---------------------------------------------------------------------------------------------
const steps = [];
const step = (name, fn, { independent = false } = {}) => steps.push({ name, fn, independent });

step('embedded files: gzip when accepted, ETag/304 per representation, CSP on the page', async () => {
  const plain = await rawGet('/app.css');
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined);
  const gz = await rawGet('/app.css', { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.match(gz.headers.vary || '', /Accept-Encoding/i);
  assert.ok(gz.body.length < plain.body.length, 'the gzip body is smaller');
  assert.deepEqual(zlib.gunzipSync(gz.body), plain.body, 'gzip body unpacks to the file');
  assert.notEqual(gz.headers.etag, plain.headers.etag, 'each representation has its own ETag');
  assert.equal((await rawGet('/app.css', { 'Accept-Encoding': 'gzip', 'If-None-Match': gz.headers.etag })).status, 304);
  assert.equal((await rawGet('/app.css', { 'If-None-Match': plain.headers.etag })).status, 304);
  assert.equal((await rawGet('/app.css', { 'If-None-Match': gz.headers.etag })).status, 200, 'the gzip ETag does not match the plain body');
  assert.equal((await rawGet('/app.css', { 'Accept-Encoding': 'gzip;q=0, *' })).headers['content-encoding'], undefined);
  assert.equal((await rawGet('/app.css', { 'Accept-Encoding': 'identity, *;q=0.5' })).headers['content-encoding'], 'gzip');
  assert.equal((await rawGet('/app.css', { 'Accept-Encoding': 'br' })).headers['content-encoding'], undefined);
  const js = await rawGet('/js/pages/missions.js', { 'Accept-Encoding': 'gzip' });
  assert.match(js.headers['content-type'], /^text\/javascript/);
  assert.match(zlib.gunzipSync(js.body).toString(), /export async function mount/);
  const index = await rawGet('/missions', { 'Accept-Encoding': 'gzip' });
  assert.equal(index.headers['content-encoding'], 'gzip');
  const csp = index.headers['content-security-policy'];
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.doesNotMatch(zlib.gunzipSync(index.body).toString(), /<script>|style=|onclick=/i, 'no inline script or style');
}, { independent: true });

step('login: asked-for page, inline error, back to the page', async () => {
  await page.goto(`${BASE}/#/missions`);
  await page.locator('input[name=username]').waitFor();
  assert.equal(hash(), '#/login?next=missions');
  await login(page, 'user', 'wrong password');
  await page.getByText('Wrong user name or password.').waitFor();
  assert.equal(hash(), '#/login?next=missions');
  await shoot('login');
  await login(page, 'user', PASSWORD);
  await page.getByRole('heading', { name: 'Missions', level: 1 }).waitFor();
  assert.equal(hash(), '#/missions');
  assert.equal(await page.locator('.user-name').innerText(), 'user');
  await eventually(async () => (await page.locator('.version').innerText()) === 'v0.1.0', 'the version from actuator/info');
});

step('missions: upload two files at once, a progress bar per file reaches 100%', async () => {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Choose files…' }).click()]);
  assert.ok(chooser.isMultiple(), 'several files at once');
  await chooser.setFiles([
    { name: 'alpha.Altis.pbo', mimeType: 'application/octet-stream', buffer: ALPHA },
    { name: 'bravo.Stratis.pbo', mimeType: 'application/octet-stream', buffer: BRAVO },
  ]);
  for (const name of ['alpha.Altis.pbo', 'bravo.Stratis.pbo']) {
    const row = page.locator(`li.upload[data-file="${name}"]`);
    await eventually(async () => (await row.locator('.upload-status').innerText()) === 'Uploaded', `${name} uploaded`);
    assert.equal(await row.locator('progress').evaluate((p) => p.value), 100);
  }
  await available.filter({ hasText: 'alpha.altis' }).waitFor();
  await available.filter({ hasText: 'bravo.stratis' }).waitFor();
  assert.match(await available.filter({ hasText: 'alpha.altis' }).innerText(), /Operation Alpha/);
  assert.ok(fs.existsSync(path.join(SERVER_DIR, 'mpmissions', 'alpha.altis.pbo')));
});

step('missions: files dropped on the drop zone; overwrite prompt, API errors (400, 413) per file', async () => {
  const files = [['alpha.Altis.pbo', ALPHA_V2], ['notes.txt', Buffer.from('not a mission')],
    ['junk.Altis.pbo', Buffer.from('this is not a pbo')], ['huge.Altis.pbo', Buffer.alloc(MAX_UPLOAD * 2, 1)]];
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const [name, b64] of list) dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name));
    return dt;
  }, files.map(([name, data]) => [name, data.toString('base64')]));
  await page.locator('.drop-zone').dispatchEvent('dragover', { dataTransfer });
  assert.match(await page.locator('.drop-zone').getAttribute('class'), /drag-over/, 'the drop zone lights up');
  await page.locator('.drop-zone').dispatchEvent('drop', { dataTransfer });
  const dialog = page.getByRole('dialog', { name: 'Replace mission file?' });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /alpha\.Altis\.pbo/);
  await dialog.getByRole('button', { name: 'Replace' }).click();
  const status = (name) => page.locator(`li.upload[data-file="${name}"] .upload-status`).last();
  await eventually(async () => (await status('alpha.Altis.pbo').innerText()) === 'Uploaded (replaced)', 'alpha replaced');
  await eventually(async () => /^Failed: Filetype not allowed/.test(await status('notes.txt').innerText()), 'notes.txt refused');
  await eventually(async () => (await status('junk.Altis.pbo').innerText()) === "Failed: 'junk.altis.pbo' is not a PBO archive", 'junk refused');
  await eventually(async () => /^Failed: Too large: .*65536/.test(await status('huge.Altis.pbo').innerText()), 'huge refused with 413');
  assert.deepEqual(fs.readFileSync(path.join(SERVER_DIR, 'mpmissions', 'alpha.altis.pbo')), ALPHA_V2);
  assert.ok(!fs.existsSync(path.join(SERVER_DIR, 'mpmissions', 'junk.altis.pbo')));
});

step('missions: search and world filter', async () => {
  const all = (await api('GET', '/missions', undefined, adminToken)).json.disabledMissions;
  const search = page.getByLabel('Search');
  await search.fill('alpha');
  await eventually(async () => (await available.count()) === 1, 'one mission matches "alpha"');
  assert.match(await available.first().innerText(), /alpha\.altis/);
  await search.fill('operation bravo');   // the briefing name is searched too
  await eventually(async () => (await available.count()) === 1 && /bravo\.stratis/.test(await available.first().innerText()), 'briefing search');
  await search.fill('');
  await page.getByLabel('World').selectOption('stratis');
  const stratis = all.filter((m) => (m.worldName || '').toLowerCase() === 'stratis').length;
  await eventually(async () => (await available.count()) === stratis, `${stratis} Stratis missions`);
  for (const meta of await page.locator('#available li.mission .meta').allInnerTexts()) assert.match(meta, /stratis/i);
  await page.getByLabel('World').selectOption('');
  await eventually(async () => (await available.count()) === all.length, 'every mission again');
});

step('missions: enable, reorder by drag and drop and by keyboard; server.cfg follows', async () => {
  await page.getByRole('button', { name: 'Enable alpha.altis' }).click();
  await page.getByRole('button', { name: 'Enable bravo.stratis' }).click();
  await eventually(async () => JSON.stringify(await rotationNames()) === '["alpha.altis","bravo.stratis"]', 'both in the rotation');
  await eventually(() => JSON.stringify(cfgRotation()) === '["alpha.altis","bravo.stratis"]', 'server.cfg lists alpha, bravo');
  await expectToast(/bravo\.stratis enabled/);

  const bravo = page.locator('#rotation li.mission', { hasText: 'bravo.stratis' });
  const alpha = page.locator('#rotation li.mission', { hasText: 'alpha.altis' });
  await bravo.dragTo(alpha, { sourcePosition: { x: 14, y: 20 }, targetPosition: { x: 40, y: 5 } });
  await eventually(async () => JSON.stringify(await rotationNames()) === '["bravo.stratis","alpha.altis"]', 'bravo dragged first');
  await eventually(() => JSON.stringify(cfgRotation()) === '["bravo.stratis","alpha.altis"]', 'server.cfg lists bravo, alpha');

  const down = page.getByRole('button', { name: 'Move bravo.stratis down' });
  await down.focus();
  await page.keyboard.press('Enter');
  await eventually(async () => JSON.stringify(await rotationNames()) === '["alpha.altis","bravo.stratis"]', 'bravo moved down');
  await eventually(() => JSON.stringify(cfgRotation()) === '["alpha.altis","bravo.stratis"]', 'server.cfg lists alpha, bravo again');
  // the keyboard user keeps their place: focus stays on bravo's controls
  assert.match(await page.evaluate(() => document.activeElement.getAttribute('aria-label') || ''), /bravo\.stratis/);
  assert.equal(await page.locator('#rotation li.mission .position').first().innerText(), '1.');

  // dragged in from the available missions, between the two; then alpha down above bravo; then
  // the vanilla mission dragged back out of the rotation
  const keystone = available.filter({ hasText: 'EXP_m01.Tanoa' });
  await keystone.dragTo(page.locator('#rotation li.mission', { hasText: 'bravo.stratis' }),
    { sourcePosition: { x: 14, y: 20 }, targetPosition: { x: 40, y: 5 } });
  await eventually(() => JSON.stringify(cfgRotation()) === '["alpha.altis","EXP_m01.Tanoa","bravo.stratis"]', 'Keystone enabled between them');
  await page.locator('#rotation li.mission', { hasText: 'alpha.altis' }).dragTo(page.locator('#rotation li.mission', { hasText: 'bravo.stratis' }),
    { sourcePosition: { x: 14, y: 20 }, targetPosition: { x: 40, y: 5 } });
  await eventually(() => JSON.stringify(cfgRotation()) === '["EXP_m01.Tanoa","alpha.altis","bravo.stratis"]', 'alpha moved down one');
  assert.deepEqual(await rotationNames(), ['01 Keystone', 'alpha.altis', 'bravo.stratis']);
  await page.locator('#rotation li.mission', { hasText: 'EXP_m01.Tanoa' }).dragTo(page.locator('#available'), { sourcePosition: { x: 14, y: 20 } });
  await eventually(() => JSON.stringify(cfgRotation()) === '["alpha.altis","bravo.stratis"]', 'Keystone dragged out again');
  await available.filter({ hasText: 'EXP_m01.Tanoa' }).waitFor();
});

step('missions: difficulty and parameters reach server.cfg; download', async () => {
  await page.getByLabel('Difficulty of bravo.stratis').selectOption('VETERAN');
  await eventually(() => cfgDifficulty('bravo.stratis') === 'veteran', 'bravo is veteran in server.cfg');
  assert.equal(cfgDifficulty('alpha.altis'), 'regular');

  const alpha = page.locator('#rotation li.mission', { hasText: 'alpha.altis' });
  await alpha.getByRole('button', { name: 'Details' }).click();
  const details = alpha.locator('.mission-details');
  assert.match(await details.innerText(), /Operation Alpha/);
  await details.getByLabel('Time of day (Daytime)').selectOption('18');
  await details.getByRole('button', { name: 'Save mission' }).click();
  await eventually(() => /Daytime = 18;/.test(serverCfg()), 'Daytime = 18 in server.cfg');
  await expectToast(/alpha\.altis saved/);

  const [download] = await Promise.all([page.waitForEvent('download'),
    page.locator('#rotation li.mission', { hasText: 'alpha.altis' }).getByRole('button', { name: 'Download alpha.altis' }).click()]);
  assert.equal(download.suggestedFilename(), 'alpha.altis.pbo');
  assert.deepEqual(fs.readFileSync(await download.path()), ALPHA_V2);
  await shoot('missions', [{ width: 1280, height: 800, tag: 'desktop' }, { width: 390, height: 844, tag: 'phone' }]);
});

step('missions: add by template, then delete with confirmation', async () => {
  const form = page.locator('details.add-template');
  await form.getByText('Add a mission by template').click();
  await form.getByLabel('Template').fill('has space.Altis');
  await form.getByRole('button', { name: 'Add mission' }).click();
  await form.getByText('A template cannot contain spaces.').waitFor();
  await form.getByLabel('Name').fill('UI Template Op');
  await form.getByLabel('Template').fill('co10_UiTest.Altis');
  await form.getByRole('button', { name: 'Add mission' }).click();
  const item = available.filter({ hasText: 'UI Template Op' });
  await item.waitFor();
  await item.getByRole('button', { name: 'Details' }).click();
  await item.getByRole('button', { name: 'Delete UI Template Op' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete mission?' });
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await eventually(async () => (await item.count()) === 0, 'the template mission is gone');
  const rows = (await api('GET', '/missions', undefined, adminToken)).json.disabledMissions;
  assert.ok(!rows.some((m) => m.template === 'co10_UiTest.Altis'));
});

step('CDLC: installed state and a switch that saves', async () => {
  await page.getByRole('link', { name: 'CDLC' }).click();
  const gm = page.locator('li.cdlc', { hasText: 'Global Mobilization' });
  await gm.waitFor();
  assert.match(await gm.innerText(), /\binstalled\b/);
  assert.doesNotMatch(await gm.innerText(), /not installed/);
  assert.match(await page.locator('li.cdlc', { hasText: 'Western Sahara' }).innerText(), /not installed/);
  const sw = page.getByRole('switch', { name: 'Western Sahara enabled' });
  assert.equal(await sw.isChecked(), false);
  await sw.check();
  await expectToast(/Western Sahara enabled/);
  const ws = (await api('GET', '/cdlc', undefined, adminToken)).json.cdlcs.find((c) => c.name === 'Western Sahara');
  assert.equal(ws.enabled, true);
  await page.reload();
  assert.equal(await page.getByRole('switch', { name: 'Western Sahara enabled' }).isChecked(), true);
  await shoot('cdlc');
});

// ---- difficulty profiles and mod settings ----
const commandLine = async () => (await api('GET', '/general/properties', undefined, adminToken)).json.commandLineParams;
const PROFILES_DIR = path.join(WORK, '.local', 'share', 'Arma 3 - Other Profiles');   // HOME is WORK
const profileItem = (name) => page.locator(`#difficulties li.profile[data-name="${name}"]`);
const difficultiesApi = async () => (await api('GET', '/difficulties', undefined, adminToken)).json;

step('difficulty: add a profile, edit its options (a 400 inline), make it active: -name= follows; file errors; delete', async () => {
  await page.locator('nav').getByRole('link', { name: 'Difficulty' }).click();
  await page.getByRole('heading', { name: 'Difficulty profiles', level: 1 }).waitFor();
  await profileItem('Player').waitFor();
  const activeBadge = (item) => item.locator('.badge', { hasText: 'active' }).count();
  assert.equal(await activeBadge(profileItem('Player')), 1);
  await page.getByLabel('Profile name').fill('Veteran_UI');
  await page.getByRole('button', { name: 'Add profile' }).click();
  await profileItem('Veteran_UI').waitFor();
  await page.getByRole('heading', { name: 'Options of Veteran_UI' }).waitFor();
  const editor = page.locator('#difficulty-editor');
  await editor.getByLabel('Group indicators').selectOption({ label: 'Always (2)' });
  await editor.getByLabel('AI level preset').selectOption({ label: 'Custom (3)' });
  await editor.getByRole('switch', { name: 'Reduced damage' }).check();
  await editor.getByRole('switch', { name: 'Stamina bar' }).uncheck();
  await editor.getByLabel('AI skill', { exact: true }).fill('1.5');
  await editor.getByRole('button', { name: 'Save options' }).click();
  await eventually(async () => /skillAI/.test(await editor.locator('.form-error').innerText()), 'the 400 message inline');
  await editor.getByLabel('AI skill', { exact: true }).fill('0.85');
  await editor.getByRole('button', { name: 'Save options' }).click();
  await expectToast(/Profile Veteran_UI saved/);
  const saved = (await difficultiesApi()).find((p) => p.name === 'Veteran_UI');
  assert.deepEqual([saved.active, saved.options.groupIndicators, saved.options.aiLevelPreset, saved.options.reducedDamage,
    saved.options.staminaBar, saved.options.skillAI], [false, 2, 3, true, false, '0.85']);
  assert.match(fs.readFileSync(path.join(PROFILES_DIR, 'Veteran_UI', 'Veteran_UI.Arma3Profile'), 'utf8'), /skillAI = 0\.85;/);

  await page.getByRole('button', { name: 'Make Veteran_UI active' }).click();
  await expectToast(/Veteran_UI is the active profile now/);
  await eventually(async () => (await activeBadge(profileItem('Veteran_UI'))) === 1, 'Veteran_UI marked active');
  assert.equal(await activeBadge(profileItem('Player')), 0);
  assert.equal(await page.getByRole('button', { name: 'Make Player active' }).count(), 1);
  await eventually(async () => (await commandLine()).includes('-name=Veteran_UI'), 'the -name= parameter');
  assert.doesNotMatch(await editor.innerText(), /\bnull\b/);
  assert.doesNotMatch(await commandLine(), /-name=Player/);
  await shoot('difficulties');

  // unsaved changes survive a reload of the list and are only dropped when the admin says so
  await editor.getByLabel('Group indicators').selectOption({ label: 'Never (0)' });
  await page.getByRole('button', { name: 'Make Player active' }).click();
  await expectToast(/Player is the active profile now/);
  assert.equal(await editor.getByLabel('Group indicators').inputValue(), '0', 'kept across the reload');
  await page.getByRole('button', { name: 'Edit Player' }).click();
  const discard = page.getByRole('dialog', { name: 'Discard unsaved changes?' });
  await discard.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('heading', { name: 'Options of Veteran_UI' }).waitFor();
  assert.equal(await editor.getByLabel('Group indicators').inputValue(), '0');
  await page.getByRole('button', { name: 'Edit Player' }).click();
  await discard.getByRole('button', { name: 'Discard changes' }).click();
  await page.getByRole('heading', { name: 'Options of Player' }).waitFor();
  assert.equal((await difficultiesApi()).find((p) => p.name === 'Veteran_UI').options.groupIndicators, 2, 'not saved');
  await page.getByRole('button', { name: 'Make Veteran_UI active' }).click();
  await expectToast(/Veteran_UI is the active profile now/);

  // a profile file the game left malformed: its error shows, and the profile can be deleted
  assert.equal((await api('POST', '/difficulties', { name: 'Broken_UI' }, adminToken)).status, 200);
  fs.writeFileSync(path.join(PROFILES_DIR, 'Broken_UI', 'Broken_UI.Arma3Profile'), 'class DifficultyPresets {\n');
  await page.reload();
  await profileItem('Broken_UI').waitFor();
  assert.match(await profileItem('Broken_UI').innerText(), /file error/);
  await page.getByRole('button', { name: 'Edit Broken_UI' }).click();
  await editor.locator('.file-error', { hasText: 'Broken_UI.Arma3Profile' }).waitFor();
  await page.getByRole('button', { name: 'Delete Broken_UI' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete profile?' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await profileItem('Broken_UI').count(), 1);
  await page.getByRole('button', { name: 'Delete Broken_UI' }).click();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expectToast(/Profile Broken_UI deleted/);
  await eventually(async () => (await profileItem('Broken_UI').count()) === 0, 'Broken_UI gone');
  assert.deepEqual((await difficultiesApi()).map((p) => p.name).sort(), ['Player', 'Veteran_UI']);
});

const settingsItem = (name) => page.locator(`#mod-settings li.profile[data-name="${name}"]`);
const userconfig = (file) => path.join(SERVER_DIR, 'userconfig', file);
const ACE_SETTINGS = 'force ace_medical_level = 2;\nforce ace_common_checkPBOsAction = 0;\n';

step('mod settings: add a file, make it active (cba_settings.sqf, -filePatching), a 409 inline, delete', async () => {
  await page.locator('nav').getByRole('link', { name: 'Mod settings' }).click();
  await page.getByRole('heading', { name: 'Mod settings', level: 1 }).waitFor();
  const editor = page.locator('#mod-settings-editor');
  await editor.getByRole('heading', { name: 'New settings file' }).waitFor();   // none yet: a new one
  await editor.getByLabel('Name').fill('ace_ui');
  await editor.getByLabel('Content').fill(ACE_SETTINGS);
  await editor.getByRole('button', { name: 'Add settings' }).click();
  await expectToast(/ace_ui added/);
  await settingsItem('ace_ui').waitFor();
  assert.equal(fs.readFileSync(userconfig('ace_ui.sqf'), 'utf8'), ACE_SETTINGS);
  assert.doesNotMatch(await commandLine(), /-filePatching/);

  await editor.getByRole('heading', { name: 'ace_ui' }).waitFor();
  assert.equal(await editor.getByLabel('Content').inputValue(), ACE_SETTINGS);
  await editor.getByRole('switch', { name: 'Active' }).check();
  await editor.getByRole('button', { name: 'Save' }).click();
  await expectToast(/ace_ui saved: active/);
  await eventually(async () => (await settingsItem('ace_ui').locator('.badge', { hasText: 'active' }).count()) === 1, 'ace_ui marked active');
  assert.equal(fs.readFileSync(userconfig('cba_settings.sqf'), 'utf8'), ACE_SETTINGS);
  assert.ok(!fs.existsSync(userconfig('ace_ui.sqf')), 'the active file is cba_settings.sqf only');
  await eventually(async () => (await commandLine()).includes('-filePatching'), 'the -filePatching parameter');
  assert.doesNotMatch(await editor.innerText(), /\bnull\b/);
  await shoot('mod-settings');

  // the same name in another case is the same file: the API's 409 shows in the form
  await page.getByRole('button', { name: 'New settings file' }).click();
  await editor.getByLabel('Name').fill('ACE_UI');
  await editor.getByRole('button', { name: 'Add settings' }).click();
  await eventually(async () => /exist already/.test(await editor.locator('.form-error').innerText()), 'the 409 message inline');
  await editor.getByLabel('Name').fill('spare');
  await editor.getByRole('button', { name: 'Add settings' }).click();
  await settingsItem('spare').waitFor();
  await page.getByRole('button', { name: 'Delete spare' }).click();
  await page.getByRole('dialog', { name: 'Delete mod settings?' }).getByRole('button', { name: 'Delete' }).click();
  await eventually(async () => (await settingsItem('spare').count()) === 0, 'spare gone');
  assert.ok(!fs.existsSync(userconfig('spare.sqf')));

  // typed settings are not lost by a stray click: leaving them asks first
  await editor.getByRole('heading', { name: 'ace_ui' }).waitFor();
  await editor.getByLabel('Content').fill(ACE_SETTINGS + 'force ace_hearing_enable = false;\n');
  await page.getByRole('button', { name: 'New settings file' }).click();
  const discard = page.getByRole('dialog', { name: 'Discard unsaved changes?' });
  await discard.getByRole('button', { name: 'Cancel' }).click();
  assert.match(await editor.getByLabel('Content').inputValue(), /ace_hearing_enable/, 'still there');
  await page.getByRole('button', { name: 'New settings file' }).click();
  await discard.getByRole('button', { name: 'Discard changes' }).click();
  await editor.getByRole('heading', { name: 'New settings file' }).waitFor();
  assert.equal(fs.readFileSync(userconfig('cba_settings.sqf'), 'utf8'), ACE_SETTINGS, 'nothing saved');
  const rows = (await api('GET', '/mods/settings', undefined, adminToken)).json;
  assert.deepEqual(rows.map((r) => [r.name, r.active]), [['ace_ui', true]]);
});

step('difficulty, mod settings: a user who may only look sees the pages without controls', async () => {
  assert.equal((await api('POST', '/users', { username: 'looker', password: 'looker-pass-1',
    authorities: ['DIFFICULTY_VIEW', 'MOD_SETTINGS_VIEW'] }, adminToken)).status, 200);
  const other = await context.browser().newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const p2 = await other.newPage();
    watch(p2);
    await p2.goto(`${BASE}/#/difficulties`);
    await login(p2, 'looker', 'looker-pass-1');
    await p2.locator('#difficulties li.profile[data-name="Veteran_UI"]').waitFor();
    assert.deepEqual(await p2.locator('nav a').allInnerTexts(), ['Status', 'Mod settings', 'Difficulty', 'Logging']);
    for (const name of ['Add profile', 'Make Player active', 'Delete Player', 'Save options']) {
      assert.equal(await p2.getByRole('button', { name }).count(), 0, `no ${name} button`);
    }
    assert.ok(await p2.locator('#difficulty-editor select').first().isDisabled());
    await p2.locator('nav').getByRole('link', { name: 'Mod settings' }).click();
    await p2.locator('#mod-settings-editor textarea').waitFor();
    assert.equal(await p2.locator('#mod-settings-editor textarea').inputValue(), ACE_SETTINGS);
    for (const name of ['New settings file', 'Save', 'Delete ace_ui']) {
      assert.equal(await p2.getByRole('button', { name }).count(), 0, `no ${name} button`);
    }
    assert.equal(await p2.locator('#mod-settings-editor textarea').getAttribute('readonly'), '');
  } finally {
    await other.close();
  }
});

// ---- mods ----
const modsApi = async () => (await api('GET', '/mods', undefined, adminToken)).json;
const enabledMods = page.locator('#enabled-mods li.mod');
const enabledNames = () => page.locator('#enabled-mods li.mod .mod-name > span:first-child').allInnerTexts();
const unmanaged = (dir) => page.locator(`#unmanaged-mods li.mod[data-dir="${dir}"]`);

step('mods: folders on disk show as not managed; manage them (a folder without workshop id is refused); delete one', async () => {
  modFolder('@CBA_A3', `publishedid = ${CBA};\nname = "CBA_A3";\ntimestamp = 5249945088134227457;\n`,
    [['addons/cba_main.pbo', Buffer.alloc(150 * 1024, 'c')]]);
  modFolder('@Enhanced_Movement', `publishedid = ${EM};\nname = "Enhanced Movement";\n`, [['addons/babe_em.pbo', Buffer.alloc(2500, 'e')]]);
  modFolder('@local', null, [['addons/local.pbo', Buffer.from('local')]], 'name = "My Local Mod";\n');
  await page.getByRole('link', { name: 'Mods', exact: true }).click();
  await page.getByRole('heading', { name: 'Mods', level: 1 }).waitFor();
  assert.equal(hash(), '#/mods');
  await unmanaged('@CBA_A3').waitFor();
  assert.equal(await page.locator('#unmanaged-mods li.mod').count(), 3);
  assert.match(await unmanaged('@CBA_A3').innerText(), /CBA_A3[\s\S]*@CBA_A3 · 150 KB · id 450814997 · updated 2023-/);
  assert.match(await unmanaged('@local').innerText(), /My Local Mod[\s\S]*no workshop id/);
  assert.match(await page.locator('#disabled-mods').innerText(), /No mod is installed yet: install one from the Steam Workshop page/);

  await page.getByRole('button', { name: 'Manage @local' }).click();
  await eventually(async () => /Cannot manage @local: it has no Steam Workshop id/.test(await unmanaged('@local').locator('[role=alert]').innerText()),
    'the MOD_ID_CANNOT_BE_ZERO message');
  await page.getByRole('button', { name: 'Manage @CBA_A3' }).click();
  await expectToast(/CBA_A3 is managed now/);
  await page.locator('#disabled-mods li.mod[data-id="450814997"]').waitFor();
  await page.getByRole('button', { name: 'Manage @Enhanced_Movement' }).click();
  await page.locator('#disabled-mods li.mod[data-id="333310405"]').waitFor();
  assert.ok(fs.existsSync(path.join(MODS_DIR, '@cba_a3', 'addons', 'cba_main.pbo')), 'the folder is lower-cased for Linux');
  assert.match(await page.locator('#disabled-mods li.mod[data-id="450814997"]').innerText(), /ready[\s\S]*@cba_a3/);
  assert.equal(await page.locator('#disabled-mods li.mod[data-id="450814997"] a[href*="filedetails/?id=450814997"]').count(), 1, 'workshop link');

  // the same id a second time: 409 from the API, shown at the folder
  modFolder('@CBA_copy', `publishedid = ${CBA};\nname = "CBA copy";\n`);
  await page.getByRole('button', { name: 'Look at the mods directory again' }).click();
  await page.getByRole('button', { name: 'Manage @CBA_copy' }).click();
  await eventually(async () => /Workshop id 450814997 is registered already/.test(await unmanaged('@CBA_copy').innerText()), 'the 409 message');

  for (const dir of ['@CBA_copy', '@local']) {
    await page.getByRole('button', { name: `Delete folder ${dir}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete folder?' });
    assert.match(await dialog.innerText(), new RegExp(dir));
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await eventually(async () => (await unmanaged(dir).count()) === 0, `${dir} gone from the page`);
    assert.ok(!fs.existsSync(path.join(MODS_DIR, dir)), `${dir} deleted on disk`);
  }
  assert.ok(await page.locator('#unmanaged-mods').isHidden(), 'no folder left to manage');

  await page.getByLabel('Search the installed mods').fill('zzz');
  await page.getByText('No mod matches the search.').waitFor();
  await page.getByLabel('Search the installed mods').fill('MOVE');
  await eventually(async () => (await page.locator('#disabled-mods li.mod').count()) === 1, 'one mod matches');
  await page.getByLabel('Search the installed mods').fill('');
});

step('mods: enable, reorder by drag and drop and by buttons, server mod switch; the command line follows', async () => {
  await page.getByRole('button', { name: 'Enable CBA_A3' }).click();
  await page.getByRole('button', { name: 'Enable Enhanced Movement' }).click();
  await eventually(async () => JSON.stringify(await enabledNames()) === '["CBA_A3","Enhanced Movement"]', 'both enabled');
  await expectToast(/Enhanced Movement enabled/);
  await eventually(async () => (await commandLine()).includes('-mod=mods/@cba_a3;mods/@enhanced_movement'), 'the -mod parameter');

  const em = page.locator('#enabled-mods li.mod', { hasText: 'Enhanced Movement' });
  await em.dragTo(page.locator('#enabled-mods li.mod', { hasText: 'CBA_A3' }), { sourcePosition: { x: 14, y: 20 }, targetPosition: { x: 60, y: 4 } });
  await eventually(async () => JSON.stringify(await enabledNames()) === '["Enhanced Movement","CBA_A3"]', 'dragged first');
  await eventually(async () => (await commandLine()).includes('-mod=mods/@enhanced_movement;mods/@cba_a3'), 'the new load order');

  await page.getByRole('button', { name: 'Move Enhanced Movement down' }).focus();
  await page.keyboard.press('Enter');
  await eventually(async () => JSON.stringify(await enabledNames()) === '["CBA_A3","Enhanced Movement"]', 'moved down');
  assert.match(await page.evaluate(() => document.activeElement.getAttribute('aria-label') || ''), /Enhanced Movement/, 'focus stays with the mod');
  await eventually(async () => (await commandLine()).includes('-mod=mods/@cba_a3;mods/@enhanced_movement'), 'the order again');
  const listed = (await modsApi()).enabledMods.map((m) => m.workshopFileId);
  assert.deepEqual(listed, [CBA, EM]);

  const sw = page.getByRole('switch', { name: 'CBA_A3 is a server mod' });
  await sw.check();
  await expectToast(/CBA_A3: loaded as a server mod/);
  await eventually(async () => {
    const params = await commandLine();
    return params.includes('-serverMod=mods/@cba_a3') && params.includes('-mod=mods/@enhanced_movement') && !params.includes('-mod=mods/@cba_a3');
  }, '-serverMod for CBA');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('role')), 'switch', 'focus stays on the switch');
  assert.ok(await enabledMods.first().locator('.badge', { hasText: 'server mod' }).isVisible());
  await page.reload();
  assert.equal(await page.getByRole('switch', { name: 'CBA_A3 is a server mod' }).isChecked(), true, 'saved');
  await page.getByRole('switch', { name: 'CBA_A3 is a server mod' }).uncheck();
  await eventually(async () => (await commandLine()).includes('-mod=mods/@cba_a3;mods/@enhanced_movement'), 'CBA a client mod again');

  // dragged back out of the enabled list, then enabled again
  await em.dragTo(page.locator('#disabled-mods'), { sourcePosition: { x: 14, y: 20 } });
  await eventually(async () => JSON.stringify(await enabledNames()) === '["CBA_A3"]', 'EM disabled by dragging');
  await page.locator('#disabled-mods li.mod[data-id="333310405"]').waitFor();
  await page.getByRole('button', { name: 'Enable Enhanced Movement' }).click();
  await eventually(async () => JSON.stringify((await modsApi()).enabledMods.map((m) => m.name)) === '["CBA_A3","Enhanced Movement"]', 'EM enabled again');
});

step('mods: upload a .zip (progress to 100%, the folder appears), replace it, refused files', async () => {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Choose files…' }).click()]);
  await chooser.setFiles([{ name: '@Tiny_Mod.zip', mimeType: 'application/zip', buffer: TINY_MOD }]);
  const row = page.locator('li.upload[data-file="@Tiny_Mod.zip"]');
  await eventually(async () => (await row.locator('.upload-status').innerText()) === 'Uploaded', 'the archive uploaded');
  assert.equal(await row.locator('progress').evaluate((p) => p.value), 100);
  await unmanaged('@tiny_mod').waitFor();
  assert.match(await unmanaged('@tiny_mod').innerText(), /Tiny Mod[\s\S]*id 333444555/);
  assert.ok(fs.existsSync(path.join(MODS_DIR, '@tiny_mod', 'addons', 'tiny_main.pbo')));

  const files = [['@Tiny_Mod.zip', TINY_MOD_V2], ['notes.txt', Buffer.from('not a mod')], ['huge.zip', Buffer.alloc(MAX_UPLOAD * 2, 7)],
    ['broken.zip', Buffer.from('PK this is no archive')]];
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const [name, b64] of list) dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name));
    return dt;
  }, files.map(([name, data]) => [name, data.toString('base64')]));
  await page.locator('.drop-zone').dispatchEvent('dragover', { dataTransfer });
  await page.locator('.drop-zone').dispatchEvent('drop', { dataTransfer });
  const dialog = page.getByRole('dialog', { name: 'Replace mod folder?' });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /@Tiny_Mod\.zip/);
  await dialog.getByRole('button', { name: 'Replace' }).click();
  const status = (name) => page.locator(`li.upload[data-file="${name}"] .upload-status`).last();
  await eventually(async () => (await status('@Tiny_Mod.zip').innerText()) === 'Uploaded (replaced)', 'replaced');
  await eventually(async () => /^Failed: 'notes\.txt' is not a \.zip archive/.test(await status('notes.txt').innerText()), 'notes.txt refused (400)');
  await eventually(async () => /^Failed: Too large: .*65536/.test(await status('huge.zip').innerText()), 'huge.zip refused (413)');
  await eventually(async () => /^Failed: .*broken\.zip/.test(await status('broken.zip').innerText()), 'broken.zip refused (400)');
  assert.deepEqual(fs.readdirSync(path.join(MODS_DIR, '@tiny_mod', 'addons')), ['tiny_v2.pbo']);
  assert.deepEqual(fs.readdirSync(MODS_DIR).filter((f) => !f.startsWith('.')).sort(), ['@cba_a3', '@enhanced_movement', '@tiny_mod']);
  await page.getByRole('button', { name: 'Clear finished' }).click();
});

step('mods: delete a managed mod with confirmation', async () => {
  await page.getByRole('button', { name: 'Manage @tiny_mod' }).click();
  await page.locator('#disabled-mods li.mod[data-id="333444555"]').waitFor();
  await page.getByRole('button', { name: 'Delete Tiny Mod' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete mod?' });
  assert.match(await dialog.innerText(), /Tiny Mod[\s\S]*@tiny_mod/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.ok(fs.existsSync(path.join(MODS_DIR, '@tiny_mod')), 'cancel keeps it');
  await page.getByRole('button', { name: 'Delete Tiny Mod' }).click();
  await page.getByRole('dialog', { name: 'Delete mod?' }).getByRole('button', { name: 'Delete' }).click();
  await expectToast(/Tiny Mod deleted/);
  await eventually(async () => (await page.locator('li.mod[data-id="333444555"]').count()) === 0, 'gone from the page');
  assert.ok(!fs.existsSync(path.join(MODS_DIR, '@tiny_mod')));
});

// ---- presets ----
const FRIDAY_HTML = launcherHtml('Friday &amp; Co', [['CBA_A3', CBA], ['Task Force &lt;Radio&gt;', TFAR]]);
const presetItem = (name) => page.locator(`#presets li.preset[data-name="${name}"]`);
async function importPreset(name, html) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Choose preset file…' }).click()]);
  await chooser.setFiles([{ name, mimeType: 'text/html', buffer: Buffer.from(html) }]);
}

step('presets: save the enabled mods, look into it, select, export, import Launcher files, delete', async () => {
  await page.getByRole('link', { name: 'Presets', exact: true }).click();
  await page.getByRole('heading', { name: 'Mod presets', level: 1 }).waitFor();
  await page.getByText('Enabled now (2): CBA_A3, Enhanced Movement').waitFor();
  await page.getByLabel('Preset name').fill('2024');
  await page.getByRole('button', { name: 'Save as preset' }).click();
  await page.getByText('A name cannot be a number only.').waitFor();   // the API would take it for an id
  await page.getByLabel('Preset name').fill('Main Ops');
  await page.getByRole('button', { name: 'Save as preset' }).click();
  await expectToast(/Preset Main Ops saved with 2 mods/);
  await presetItem('Main Ops').waitFor();
  await page.getByRole('button', { name: 'Mods of Main Ops' }).click();
  await eventually(async () => JSON.stringify(await presetItem('Main Ops').locator('.entry-name').allInnerTexts())
    === '["CBA_A3","Enhanced Movement"]', 'its mods, in order');

  // another preset with only one of them, then selected
  assert.equal((await api('PUT', '/mods-presets/Only%20EM', { modNames: ['Enhanced Movement'] }, adminToken)).status, 200);
  await page.reload();
  await page.getByRole('button', { name: 'Select Only EM' }).click();
  await page.getByRole('dialog', { name: 'Select preset?' }).getByRole('button', { name: 'Select' }).click();
  await expectToast(/Preset Only EM selected: 1 mod enabled/);
  assert.deepEqual((await modsApi()).enabledMods.map((m) => m.workshopFileId), [EM]);
  await page.getByText('Enabled now (1): Enhanced Movement').waitFor();
  await page.getByRole('button', { name: 'Select Main Ops' }).click();
  await page.getByRole('dialog', { name: 'Select preset?' }).getByRole('button', { name: 'Select' }).click();
  await expectToast(/Preset Main Ops selected: 2 mods enabled/);
  assert.deepEqual((await modsApi()).enabledMods.map((m) => m.workshopFileId), [CBA, EM]);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Main Ops' }).click()]);
  assert.equal(download.suggestedFilename(), 'Main Ops.html');
  const exported = fs.readFileSync(await download.path(), 'utf8');
  assert.match(exported, /<meta name="arma:PresetName" content="Main Ops" \/>/);
  assert.ok(exported.indexOf(`filedetails/?id=${CBA}`) < exported.indexOf(`filedetails/?id=${EM}`), 'both mods, in order');
  assert.match(exported, /<td data-type="DisplayName">Enhanced Movement<\/td>/);

  // a mod of the file is not installed and SteamCMD is not set up: nothing is imported
  await importPreset('friday.html', FRIDAY_HTML);
  const result = page.locator('.result[role=status]');
  await eventually(async () => /^Not imported: some mods of this preset are not installed, and they cannot be downloaded because SteamCMD is not set up/
    .test(await result.innerText()), 'the STEAM_CMD_NOT_INSTALLED explanation');
  assert.ok(!(await api('GET', '/mods-presets', undefined, adminToken)).json.presets.includes('Friday & Co'));
  // every mod installed; saved under another name
  await page.getByLabel('Save as').fill('Weekend');
  await importPreset('weekend.html', launcherHtml('Whatever', [['Enhanced Movement', EM], ['CBA_A3', CBA]]));
  await eventually(async () => (await result.innerText()) === 'Imported “Weekend”. Every mod of it is installed: no download was queued.', 'imported');
  // a file that is no Launcher preset is told so in words (nothing reaches the API)
  await importPreset('photo.png', '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR');
  await eventually(async () => (await result.innerText()) === "photo.png is not an Arma 3 Launcher preset (the .html file the Launcher's “Export” writes).", 'refused in words');
  await eventually(async () => JSON.stringify(await presetItem('Weekend').locator('.entry-name').allInnerTexts())
    === '["Enhanced Movement","CBA_A3"]', 'the imported preset, shown opened');

  await page.getByRole('button', { name: 'Delete Only EM' }).click();
  await page.getByRole('dialog', { name: 'Delete preset?' }).getByRole('button', { name: 'Delete' }).click();
  await eventually(async () => (await presetItem('Only EM').count()) === 0, 'Only EM deleted');
  assert.deepEqual((await api('GET', '/mods-presets', undefined, adminToken)).json.presets, ['Main Ops', 'Weekend']);
  await shoot('presets');
});

// ---- workshop ----
const queued = (id) => page.locator(`#download-queue li.queued-mod[data-id="${id}"]`);

step('workshop: SteamCMD and API key missing explained; search with paging, dependencies, install; the queue to done', async () => {
  await page.getByRole('link', { name: 'Workshop', exact: true }).click();
  await page.getByRole('heading', { name: 'Steam Workshop', level: 1 }).waitFor();
  const notice = page.locator('#steamcmd-missing');
  assert.match(await notice.innerText(), /SteamCMD is not set up/);
  assert.equal(await notice.getByRole('link', { name: 'Steam settings' }).getAttribute('href'), '#/settings/steam');
  await page.getByLabel('Search the Workshop').fill('a');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByText('Searching the Workshop needs a Steam Web API key.').waitFor();

  assert.equal((await api('POST', '/settings/steam', { steamCmdPath: STEAMCMD, steamCmdWorkshopContentPath: WORKSHOP_CONTENT,
    steamWebApiToken: 'UI-KEY-1' }, adminToken)).status, 200);
  await page.reload();
  await page.getByRole('heading', { name: 'Steam Workshop', level: 1 }).waitFor();
  assert.equal(await notice.count(), 0, 'SteamCMD is set up now');
  await eventually(async () => (await page.locator('.badge', { hasText: 'live' }).count()) === 1, 'the progress websocket is open');
  await page.getByLabel('Search the Workshop').fill('a');
  await page.getByLabel('Sort by').selectOption('LAST_UPDATED');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const results = page.locator('#workshop-results li.workshop-mod');
  await eventually(async () => (await results.count()) === 2, 'the first page');
  const query = steamCalls.filter((c) => c.path.endsWith('/QueryFiles/v1/')).pop();
  assert.equal(query.query.key, 'UI-KEY-1');
  assert.equal(query.query.query_type, '21');
  assert.deepEqual(await results.locator('.workshop-title a').allInnerTexts(), ['Task Force Arrowhead Radio', 'RHS: USAF']);
  await page.getByRole('button', { name: 'More results' }).click();
  await eventually(async () => (await results.count()) === 4, 'the second page');
  assert.ok(await page.getByRole('button', { name: 'More results' }).isHidden(), 'no more pages');
  const cba = page.locator('#workshop-results li.workshop-mod[data-id="450814997"]');
  assert.ok(await cba.locator('.installed-badge').isVisible(), 'CBA is installed');
  const ace = page.locator('#workshop-results li.workshop-mod[data-id="463939057"]');
  assert.match(await ace.innerText(), /A collaborative merger between AGM, CSE, and ACE for Arma 3\. Requires CBA_A3\./);
  assert.doesNotMatch(await ace.innerText(), /\[b\]/, 'BBCode is dropped');
  assert.equal(await ace.locator('a').first().getAttribute('href'), `https://steamcommunity.com/sharedfiles/filedetails/?id=${ACE}`);

  await page.getByRole('button', { name: 'Dependencies of ACE3' }).click();
  const deps = page.getByRole('list', { name: 'Dependencies of ACE3' });
  await deps.waitFor();
  assert.deepEqual((await deps.locator('li').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()),
    [`CBA_A3 ${CBA} installed`, `RHS: USAF ${RHS} not installed`]);

  assert.equal(await page.getByLabel('Also install the dependencies of ACE3').isChecked(), true);
  await page.getByRole('button', { name: 'Install ACE3' }).click();
  await expectToast(/ACE3 queued for download with its dependencies/);
  await eventually(async () => /Waiting for SteamCMD/.test(await queued(ACE).innerText()), 'ACE3 waits for SteamCMD');
  await eventually(async () => (await queued(RHS).count()) === 1, 'its missing dependency is queued too');
  await eventually(async () => /queued by user/.test(await queued(ACE).innerText()), 'who queued it, from the queue');
  for (const id of [ACE, RHS]) {
    await eventually(async () => (await queued(id).locator('.queue-status').innerText()) === 'Installed', `${id} installed`, 15000);
    assert.equal(await queued(id).locator('progress').evaluate((p) => p.value), 100);
  }
  await eventually(async () => (await ace.locator('.installed-badge').isVisible()), 'ACE3 shows as installed in the results');
  assert.equal(await ace.getByRole('button', { name: 'Install ACE3' }).innerText(), 'Reinstall');
  await eventually(async () => /RHS: USAF \d+ installed/.test((await deps.locator('li').last().innerText()).replace(/\s+/g, ' ')),
    'the dependency shows as installed now');
  const calls = fs.readFileSync(STEAMCMD_LOG, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(calls.flat().includes(String(ACE)) && calls.flat().includes(String(RHS)));
  await shoot('workshop');

  await page.getByRole('link', { name: 'Mods', exact: true }).click();
  const installedAce = page.locator('#disabled-mods li.mod[data-id="463939057"]');
  await installedAce.waitFor();
  assert.match(await installedAce.innerText(), /ACE3[\s\S]*ready[\s\S]*@ace3/);
  assert.equal(await installedAce.locator('img.mod-thumb').count(), 1, 'the workshop preview');
  await page.locator('#disabled-mods li.mod[data-id="843577117"]').waitFor();
  modFolder('@Local_Test', null, [['addons/local.pbo', Buffer.alloc(40000, 'l')]], 'name = "Local test mod";\n');
  await page.getByRole('button', { name: 'Look at the mods directory again' }).click();
  await unmanaged('@Local_Test').waitFor();
  assert.doesNotMatch(await unmanaged('@Local_Test').innerText(), /null|Workshop/, 'no workshop link without an id');
  await shoot('mods', [{ width: 1280, height: 800, tag: 'desktop' }, { width: 390, height: 844, tag: 'phone' }]);
});

step('presets: a Launcher file with a mod not installed queues its download', async () => {
  await page.getByRole('link', { name: 'Presets', exact: true }).click();
  await importPreset('friday.html', FRIDAY_HTML);
  await eventually(async () => (await page.locator('.result[role=status]').innerText())
    === 'Imported “Friday & Co”. 1 missing mod was queued for download from the Steam Workshop.', 'one download queued');
  await presetItem('Friday & Co').waitFor();
  await eventually(async () => /Task Force <Radio>[\s\S]*not installed/.test(await presetItem('Friday & Co').innerText()),
    'shown opened, the new mod not installed yet');
  await eventually(async () => (await api('GET', '/workshop/download-queue', undefined, adminToken)).json.mods.length === 0, 'the download done', 15000);
  assert.ok((await modsApi()).disabledMods.some((m) => m.workshopFileId === TFAR));
});

step('workshop: a download that keeps failing stays listed with its reason; retry, then remove', async () => {
  const BROKEN = 999000111;
  fs.writeFileSync(STEAMCMD_FAILS, String(BROKEN));
  await page.getByRole('link', { name: 'Workshop', exact: true }).click();
  await api('POST', '/workshop/install', { fileId: BROKEN, modName: 'Broken Mod' }, adminToken);
  await eventually(async () => (await queued(BROKEN).count()) === 1, 'the download is listed');
  await eventually(async () => /Failed 3 times: SteamCMD: ERROR! Download item 999000111 failed \(Access Denied\)/
    .test(await queued(BROKEN).locator('.queue-status').innerText()), 'given up, with SteamCMD\'s reason', 20000);
  assert.equal(await page.getByRole('button', { name: 'Clear finished' }).isVisible(), false, 'not something to clear away');
  await shoot('workshop-failed');
  await queued(BROKEN).getByRole('button', { name: 'Retry' }).click();
  await expectToast(/Broken Mod queued again/);
  await eventually(async () => /Failed 3 times/.test(await queued(BROKEN).locator('.queue-status').innerText()),
    'fails again after three more attempts', 20000);
  await queued(BROKEN).getByRole('button', { name: 'Remove' }).click();
  await eventually(async () => (await queued(BROKEN).count()) === 0, 'gone from the page');
  assert.deepEqual((await api('GET', '/workshop/download-queue', undefined, adminToken)).json.mods, []);
  fs.rmSync(STEAMCMD_FAILS);
});

step('mods, presets, workshop: a user who may only look sees no controls', async () => {
  assert.equal((await api('POST', '/users', { username: 'viewer', password: 'viewer-pass-1',
    authorities: ['MODS_VIEW', 'MOD_PRESETS_VIEW', 'WORKSHOP_VIEW'] }, adminToken)).status, 200);
  const other = await context.browser().newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const p2 = await other.newPage();
    watch(p2);
    await p2.goto(`${BASE}/#/mods`);
    await login(p2, 'viewer', 'viewer-pass-1');
    await p2.locator('#enabled-mods li.mod').first().waitFor();
    assert.deepEqual(await p2.locator('nav a').allInnerTexts(), ['Status', 'Mods', 'Presets', 'Workshop', 'Logging']);
    assert.equal(await p2.locator('#enabled-mods li.mod').count(), 2);
    for (const name of ['Choose files…', 'Enable ACE3', 'Disable CBA_A3', 'Delete CBA_A3', 'Manage @Local_Test', 'Move CBA_A3 down']) {
      assert.equal(await p2.getByRole('button', { name }).count(), 0, `no ${name} button`);
    }
    assert.equal(await p2.getByRole('switch').count(), 0);
    assert.equal(await p2.locator('#enabled-mods li.mod[draggable=true]').count(), 0, 'nothing to drag');

    await p2.locator('nav').getByRole('link', { name: 'Presets' }).click();
    await p2.locator('#presets li.preset').first().waitFor();
    assert.equal(await p2.getByRole('button', { name: 'Export Main Ops' }).count(), 1);
    for (const name of ['Select Main Ops', 'Delete Main Ops', 'Save as preset', 'Choose preset file…']) {
      assert.equal(await p2.getByRole('button', { name }).count(), 0, `no ${name} button`);
    }

    await p2.locator('nav').getByRole('link', { name: 'Workshop' }).click();
    await p2.getByText('Searching and installing Workshop mods needs the authority WORKSHOP_INSTALL.').waitFor();
    assert.equal(await p2.getByLabel('Search the Workshop').count(), 0);
    await p2.locator('#download-queue').waitFor({ state: 'attached' });
  } finally {
    await other.close();
  }
});

// ---- the server ----
step('status: start the fake server, Online with the players, live console, pause scrolling, stop', async () => {
  installFakeArma({ players: ['Bob', 'Alice Smith'], hostname: 'UI Test Server', mission: 'Escape', tick: 0.04,
    lines: [[0.2, '12:00:01 Player Bob connected (id=76561198000000001).']] });
  try {
    await page.getByRole('link', { name: 'Status', exact: true }).click();
    await page.getByRole('heading', { name: 'Server status', level: 1 }).waitFor();
    const state = page.locator('.server-state .state-text');
    await eventually(async () => (await state.innerText()) === 'Offline', 'offline at first');
    await page.getByRole('button', { name: 'Start server' }).click();
    await expectToast(/Start requested/);
    await eventually(async () => (await state.innerText()) === 'Online', 'online (found by Steam A2S)', 12000);
    await eventually(async () => JSON.stringify((await page.locator('.player-list li').allInnerTexts()).sort()) === '["Alice Smith","Bob"]',
      'the players (Steam A2S)');
    await eventually(async () => /UI Test Server[\s\S]*Escape on Altis[\s\S]*2 \/ 64/.test(await page.locator('.facts').first().innerText()),
      'what Steam says about the server');
    const pid = (await api('GET', '/status', undefined, adminToken)).json.server.pid;
    assert.ok(fakeArmaPids().includes(pid), 'our fake is the server');
    assert.match(await page.locator('.facts').first().innerText(), new RegExp(`pid ${pid}`));

    const consoleBox = page.locator('pre.console');
    await eventually(async () => /Player Bob connected/.test(await consoleBox.innerText()), 'the console line, live');
    await eventually(async () => /tick 40\b/.test(await consoleBox.innerText()), 'ticks streaming in');
    assert.equal(await page.locator('.badge', { hasText: 'live' }).count(), 1);
    const atBottom = () => consoleBox.evaluate((c) => c.scrollHeight - c.scrollTop - c.clientHeight < 4);
    assert.ok(await atBottom(), 'follows the output');
    await page.getByRole('button', { name: 'Pause scrolling' }).click();
    await consoleBox.evaluate((c) => { c.scrollTop = 0; });
    const lines = await consoleBox.evaluate((c) => c.childNodes.length);
    await eventually(async () => (await consoleBox.evaluate((c) => c.childNodes.length)) > lines + 10, 'more lines while paused');
    assert.equal(await consoleBox.evaluate((c) => c.scrollTop), 0, 'paused: stays where the user is');
    await page.getByRole('button', { name: 'Resume scrolling' }).click();
    await eventually(atBottom, 'back at the bottom');
    await shoot('status-online');

    // while it runs, the pages whose changes wait for the next start say so
    await page.getByRole('link', { name: 'Missions', exact: true }).click();
    await page.locator('#server-running-note').waitFor();
    assert.match(await page.locator('#server-running-note').innerText(), /running.*next starts/s);
    await page.locator('#server-running-note').getByRole('link', { name: 'Status' }).click();
    await eventually(async () => (await state.innerText()) === 'Online', 'online on the page again');

    await page.getByRole('button', { name: 'Stop server' }).click();
    await expectToast(/Stop requested/);
    await eventually(async () => (await state.innerText()) === 'Offline', 'offline again', 12000);
    assert.equal(await page.locator('.player-list li').innerText(), 'The server is not online.');
    await eventually(() => !alive(pid), 'the fake server process ended');
    await eventually(async () => /Server shutting down/.test(await consoleBox.innerText()), 'its last words in the console');
  } finally {
    killFakeArma();
  }
});

step('jobs: cron with next runs, invalid cron error, run now and history', async () => {
  await page.getByRole('link', { name: 'Jobs' }).click();
  const names = (await api('GET', '/settings/jobs', undefined, adminToken)).json;
  await eventually(async () => (await page.locator('tr[data-job]').count()) === names.length, 'a row per job');
  const row = page.locator('tr[data-job="MISSIONS_SCANNER"]');
  const cron = row.getByLabel('Cron expression of MISSIONS_SCANNER');
  const nextRuns = () => row.locator('.next-runs li').allInnerTexts();
  assert.ok((await nextRuns()).every((t) => / 00:00:00$/.test(t)));
  await cron.fill('0 30 4 1 1 *');
  await row.getByRole('button', { name: 'Save' }).click();
  await eventually(async () => {
    const runs = await nextRuns();
    return runs.length === 5 && runs.every((t) => /^\d{4}-01-01 04:30:00$/.test(t));
  }, 'five runs on 1 January at 04:30');
  assert.equal((await api('GET', '/settings/jobs/MISSIONS_SCANNER', undefined, adminToken)).json.cron, '0 30 4 1 1 *');

  await cron.fill('0 61 * * * *');
  await row.getByRole('button', { name: 'Save' }).click();
  const error = row.locator('.field-error[role=alert]').first();
  await eventually(async () => /Invalid cron expression '0 61 \* \* \* \*'/.test(await error.innerText()), 'the INVALID_CRON message');
  assert.equal(await cron.getAttribute('aria-invalid'), 'true');
  assert.ok((await nextRuns()).every((t) => / 04:30:00$/.test(t)), 'the previous schedule is still shown');

  const difficulty = page.locator('tr[data-job="DIFFICULTY_SCAN"]');
  await difficulty.getByRole('switch', { name: 'DIFFICULTY_SCAN enabled' }).uncheck();
  await expectToast(/DIFFICULTY_SCAN disabled/);
  assert.equal((await api('GET', '/settings/jobs/DIFFICULTY_SCAN', undefined, adminToken)).json.enabled, false);
  assert.match(await difficulty.locator('.next-runs-box').innerText(), /^Disabled/);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('role')), 'switch', 'focus stays on the switch');
  await shoot('jobs');

  const before = (await api('GET', '/settings/jobs/MISSIONS_SCANNER/executions?limit=20', undefined, adminToken)).json.length;
  await row.getByRole('button', { name: 'History of MISSIONS_SCANNER' }).click();
  await row.getByRole('button', { name: 'Run MISSIONS_SCANNER now' }).click();
  await expectToast(/MISSIONS_SCANNER started/);
  const history = page.locator('table[aria-label="Runs of MISSIONS_SCANNER"] tbody tr');
  await eventually(async () => (await history.count()) === before + 1, 'one more row in the history', 10000);
  assert.match(await history.first().innerText(), /success/);
  assert.match(await row.locator('.job-last').innerText(), /success/);
});

step('Discord: settings saved, test message reaches the webhook', async () => {
  await page.getByRole('link', { name: 'Discord' }).click();
  await page.getByLabel('Webhook URL').fill(WEBHOOK_URL);
  await page.getByLabel('Send server events to Discord').check();
  await page.getByLabel('Server started').fill('UI test: server is up');
  await page.getByRole('button', { name: 'Send test message' }).click();
  await page.getByText('Save your changes first').waitFor();
  assert.equal(webhookBodies.length, 0);
  await page.getByRole('button', { name: 'Save' }).click();
  await expectToast(/Discord settings saved/);
  const saved = (await api('GET', '/settings/discord', undefined, adminToken)).json;
  assert.equal(saved.webhookUrl, WEBHOOK_URL);
  assert.equal(saved.enabled, true);
  assert.equal(saved.serverStartMessage, 'UI test: server is up');
  await page.getByRole('button', { name: 'Send test message' }).click();
  await eventually(async () => /Discord accepted the message \(HTTP 204\)/.test(await page.locator('.result').innerText()), 'the test result');
  assert.equal(webhookBodies.length, 1);
  assert.equal(webhookBodies[0].path, '/api/webhooks/42/ui-test-token');
  assert.equal(webhookBodies[0].json.embeds[0].title, 'aswg test message');
  await shoot('discord');
});

step('users: create with grouped authorities; the new user sees only their pages', async () => {
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'Create user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create user' });
  await dialog.getByLabel('User name').fill('alice');
  await dialog.getByLabel('Password', { exact: true }).fill('alice-pass-1');
  await dialog.getByLabel('Repeat the password').fill('alice-pass-2');
  await dialog.getByLabel('All of Missions').check();
  await dialog.locator('input[value="CDLC_VIEW"]').check();
  await dialog.getByRole('button', { name: 'Create' }).click();
  await dialog.getByText('The passwords differ.').waitFor();
  await dialog.getByLabel('Repeat the password').fill('alice-pass-1');
  await dialog.getByRole('button', { name: 'Create' }).click();
  const row = page.locator('tr[data-user="alice"]');
  await row.waitFor();
  assert.match(await row.innerText(), /7 of 42/);
  const alice = (await api('GET', '/users', undefined, adminToken)).json.find((u) => u.username === 'alice');
  assert.deepEqual([...alice.authorities].sort(), ['CDLC_VIEW', 'MISSIONS_ADD', 'MISSIONS_DELETE', 'MISSIONS_DOWNLOAD',
    'MISSIONS_UPDATE', 'MISSIONS_UPLOAD', 'MISSIONS_VIEW']);
  await shoot('users', [{ width: 1280, height: 800, tag: 'desktop' }, { width: 390, height: 844, tag: 'phone' }]);

  const other = await context.browser().newContext({ viewport: { width: 1280, height: 800 } });
  const p2 = await other.newPage();
  watch(p2);
  await p2.goto(`${BASE}/#/status`);
  await login(p2, 'alice', 'alice-pass-1');
  await p2.locator('.user-name', { hasText: 'alice' }).waitFor();
  const nav = await p2.locator('nav a').allInnerTexts();
  assert.deepEqual(nav, ['Status', 'Missions', 'CDLC', 'Logging']);
  await p2.goto(`${BASE}/#/users`);
  await p2.getByText('You do not have access to this page.').waitFor();
  await other.close();

  await row.getByRole('button', { name: 'Lock alice' }).click();
  await eventually(async () => /locked/.test(await row.innerText()), 'alice shows as locked');
  assert.equal((await api('POST', '/auth', { username: 'alice', password: 'alice-pass-1' })).status, 400);
});

step('theme toggle is remembered; the other pages render', async () => {
  const theme = () => page.evaluate(() => document.documentElement.dataset.theme || '');
  await page.getByRole('button', { name: /Switch to dark theme/ }).click();
  assert.equal(await theme(), 'dark');
  await page.reload();
  assert.equal(await theme(), 'dark');
  await page.getByRole('button', { name: /Switch to light theme/ }).click();
  assert.equal(await theme(), 'light');
  for (const [link, heading, name] of [['Logging', 'Logging', 'logging'], ['Steam', 'Steam', 'steam'], ['Status', 'Server status', 'status'],
    ['General', 'General', 'general'], ['Security', 'Security', 'security'], ['Network', 'Network', 'network']]) {
    await page.getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    await page.waitForLoadState('networkidle').catch(() => {});
    await shoot(name);
  }
});

step('settings: an API 400 shows at the field it names, with the field\'s label', async () => {
  await page.getByRole('link', { name: 'Security', exact: true }).click();
  const threshold = page.getByLabel('Vote threshold');
  const before = await threshold.inputValue();
  await threshold.fill('abc');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await eventually(async () => (await page.locator('.form-error').innerText()) === 'Please correct Vote threshold.', 'the form says which field');
  const fieldError = page.locator(`#${await threshold.getAttribute('id')}-error`);
  assert.match(await fieldError.innerText(), /^Must be a decimal number/);
  assert.equal(await threshold.getAttribute('aria-invalid'), 'true');
  await threshold.fill(before || '0.5');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expectToast(/Security settings saved/);
});

step('a revoked login sends the user to the login page and back', async () => {
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('aswg.session')).token);
  assert.equal((await api('POST', '/auth/logout', {}, token)).status, 200);   // e.g. logged out elsewhere
  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.locator('input[name=username]').waitFor();
  assert.equal(hash(), '#/login?next=jobs');
  await login(page, 'user', PASSWORD);
  await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
  assert.equal(hash(), '#/jobs');
});

step('logout ends the session', async () => {
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('aswg.session')).token);
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.locator('input[name=username]').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('aswg.session')), null);
  assert.notEqual((await api('GET', '/auth/myself', undefined, token)).status, 200, 'the token is revoked');
  await page.goto(`${BASE}/#/users`);
  await page.locator('input[name=username]').waitFor();
  assert.equal(hash(), '#/login?next=users');
});

// ---------------------------------------------------------------------------------------------
const killer = setTimeout(() => {
  console.error(`ui tests: over ${DEADLINE_MS / 1000} s, giving up`);
  aswg.kill('SIGKILL');
  killFakeArma();
  process.exit(2);
}, DEADLINE_MS);

let passed = 0;
let failed = 0;
let broken = false;   // a failed step leaves the browser somewhere else: the later ones are skipped
const started = Date.now();
for (const s of steps) {
  const t0 = Date.now();
  try {
    if (broken && !s.independent) throw new Error('skipped: an earlier step failed');
    await s.fn();
    if (pageProblems.length) throw new Error(`the page reported problems:\n  ${pageProblems.splice(0).join('\n  ')}`);
    passed++;
    console.log(`ok   ${s.name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed++;
    if (!s.independent) broken = true;
    console.log(`FAIL ${s.name}\n     ${(e && e.stack) || e}`);
    if (!/^skipped/.test(e.message)) {
      await page.screenshot({ path: path.join(OUT, `failure-${failed}.png`), fullPage: true }).catch(() => {});
    }
  }
}

await browser.close();
webhook.close();
steamApi.close();
aswg.kill('SIGTERM');
const exit = await new Promise((resolve) => (aswgExit ? resolve(aswgExit) : aswg.on('exit', (code, signal) => resolve({ code, signal }))));
clearTimeout(killer);
killFakeArma();
if (fakeArmaPids().some(alive)) {
  failed++;
  console.log('FAIL a fake Arma server is still running');
}
if (exit.code !== 0) {
  failed++;
  console.log(`FAIL aswg exited with ${JSON.stringify(exit)}\n${fs.readFileSync(stderrPath, 'utf8').slice(-4000)}`);
}
console.log(`screenshots: ${OUT}`);
console.log(`ui tests took ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (failed) console.log(`aswg working directory kept: ${WORK}`);
else fs.rmSync(WORK, { recursive: true, force: true, maxRetries: 3 });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
