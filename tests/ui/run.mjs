// Browser test of the aswg web UI: starts the real binary ($ASWG_BINARY) on a free loopback
// port with a temporary config and server directory, a fake Discord webhook on loopback, and
// drives Debian's chromium through Playwright the way an admin would. Screenshots of every page
// (light and dark; the missions page also on a phone) go to $ASWG_UI_OUT (default: a temp dir).
//
//   node tests/ui/run.mjs            (ASWG_BINARY defaults to build/aswg)
//   ASWG_UI_WEB_DIR=web node tests/ui/run.mjs   serves web/ from disk (no rebuild; the gzip step fails)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
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
// aswg
fs.writeFileSync(path.join(WORK, 'aswg-config.properties'), [
  `aswg.default-user.password=${PASSWORD}`,
  `aswg.server-directory-path=${SERVER_DIR}`,
  'aswg.security.login-rate-limit.attempts-per-minute=10000',
  'aswg.security.rate-limit.requests-per-minute=0',
  `aswg.missions.max-upload-size=${MAX_UPLOAD}`,
  // no scheduled run of the job whose runs the test counts
  'aswg.job.missions-scanner.cron=0 0 0 1 1 *',
  process.env.ASWG_UI_WEB_DIR ? `aswg.web-ui.path=${path.resolve(process.env.ASWG_UI_WEB_DIR)}` : '',
  '',
].join('\n'));
const stderrPath = path.join(WORK, 'stderr.txt');
const aswg = spawn(BINARY, ['--port', '0', '--bind', '127.0.0.1'], {
  cwd: WORK, stdio: ['ignore', fs.openSync(path.join(WORK, 'stdout.txt'), 'w'), fs.openSync(stderrPath, 'w')],
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
  await shoot('users');

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
aswg.kill('SIGTERM');
const exit = await new Promise((resolve) => (aswgExit ? resolve(aswgExit) : aswg.on('exit', (code, signal) => resolve({ code, signal }))));
clearTimeout(killer);
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
