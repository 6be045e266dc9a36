// Jobs: every background job with its enabled switch, cron schedule (and the next 5 runs), last
// run, a run-now button and its run history.
import { get, put, post, enc } from '../api.js';
import {
  el, clear, toggleSwitch, busy, toast, showError, errorPanel, pageHeader,
  parseServerDate, formatDuration,
} from '../ui.js';

const HISTORY_LIMIT = 20;

function statusBadge(status) {
  const kind = { SUCCESS: 'ok', FAILURE: 'fail', STARTED: 'run', SKIPPED: 'warn' }[status] || '';
  return el('span', { class: ['badge', kind && `badge-${kind}`], text: status ? status.toLowerCase() : 'never run' });
}

export async function mount(root) {
  let alive = true;
  const timers = new Set();
  const wait = (ms) => new Promise((resolve) => {
    const t = setTimeout(() => { timers.delete(t); resolve(); }, ms);
    timers.add(t);
  });

  root.append(pageHeader('Jobs'),
    el('p', { class: 'muted' }, 'Background jobs run on cron schedules in the server’s time zone: six fields with seconds first (',
      el('code', { text: '0 0/15 * * * *' }), '), five classic crontab fields, or ', el('code', { text: '@daily' }), ' and friends.'));

  let names;
  try {
    names = await get('/settings/jobs');
  } catch (e) {
    root.append(errorPanel(e, 'the job list'));
    return () => {};
  }
  const tbody = el('tbody', {});
  root.append(el('div', { class: 'card table-wrap' }, el('table', { class: 'jobs-table' },
    el('thead', {}, el('tr', {}, ['Job', 'Enabled', 'Schedule', 'Last run', ''].map((h) => el('th', { scope: 'col', text: h })))),
    tbody)));

  const settled = await Promise.allSettled((names || []).map((n) => get(`/settings/jobs/${enc(n)}`)));
  settled.forEach((r, i) => {
    if (r.status === 'fulfilled') jobRow(r.value);
    else if (!r.reason.authLost) {
      tbody.append(el('tr', {}, el('td', { colspan: 5 }, el('span', { class: 'job-name', text: names[i] }), ' ',
        el('span', { class: 'field-error', text: r.reason.message }))));
    }
  });

  function jobRow(initial) {
    let job = initial;
    const name = job.name;
    const path = `/settings/jobs/${enc(name)}`;
    const row = el('tr', { dataset: { job: name } });
    const historyBody = el('div', {});
    const historyRow = el('tr', { class: 'history-row', hidden: true }, el('td', { colspan: 5 }, historyBody));
    tbody.append(row, historyRow);

    const cronInput = el('input', { type: 'text', value: job.cron, 'aria-label': `Cron expression of ${name}`, spellcheck: 'false', autocomplete: 'off' });
    const cronError = el('p', { class: 'field-error', role: 'alert', hidden: true, id: `cron-error-${name}` });
    cronInput.setAttribute('aria-describedby', cronError.id);
    const cronSave = el('button', { type: 'submit', class: 'btn btn-small btn-primary', 'aria-label': `Save the cron of ${name}` }, 'Save');
    const cronForm = el('form', { class: 'cron-form' }, cronInput, cronSave);
    const nextRuns = el('div', { class: 'next-runs-box' });
    const last = el('div', { class: 'job-last' });
    const runMessage = el('p', { class: 'field-error', role: 'status', hidden: true });
    const runBtn = el('button', { type: 'button', class: 'btn btn-small' }, 'Run now');
    runBtn.setAttribute('aria-label', `Run ${name} now`);
    const historyBtn = el('button', { type: 'button', class: 'btn btn-small', 'aria-expanded': 'false' }, 'History');
    historyBtn.setAttribute('aria-label', `History of ${name}`);
    const enabledCell = el('td', { 'data-label': 'Enabled' });
    const paramsBox = el('div', { class: 'job-params' });

    const body = (changes) => ({
      enabled: job.enabled,
      cron: job.cron,
      parameters: Object.fromEntries((job.parameters || []).map((p) => [p.name, p.value])),
      ...changes,
    });
    async function save(changes) {
      job = await put(path, body(changes));
      fill();
    }

    // the switches are made once and only updated, so keyboard focus stays on them
    const enabledSwitch = toggleSwitch(`${name} enabled`, job.enabled, async (on) => {
      await save({ enabled: on });
      toast(`${name} ${on ? 'enabled' : 'disabled'}`, 'success');
    }, { hideLabel: true });
    enabledCell.append(enabledSwitch.root);
    const paramSwitches = (job.parameters || []).map((p) => {
      const ps = toggleSwitch(p.description || p.name, String(p.value) === 'true', async (on) => {
        const parameters = Object.fromEntries((job.parameters || []).map((q) => [q.name, q.name === p.name ? String(on) : q.value]));
        await save({ parameters });
        toast(`${name}: ${p.name} ${on ? 'on' : 'off'}`, 'success');
      });
      ps.input.dataset.param = p.name;
      paramsBox.append(ps.root);
      return ps;
    });

    function fill() {
      enabledSwitch.input.checked = !!job.enabled;
      for (const ps of paramSwitches) {
        const p = (job.parameters || []).find((q) => q.name === ps.input.dataset.param);
        if (p) ps.input.checked = String(p.value) === 'true';
      }

      if (document.activeElement !== cronInput) cronInput.value = job.cron;
      const upcoming = Array.isArray(job.nextExecutions) ? job.nextExecutions
        : job.nextExecutionDate ? [job.nextExecutionDate] : [];
      clear(nextRuns, upcoming.length
        ? [el('span', { class: 'hint', text: job.enabled ? 'Next runs:' : 'Disabled. When enabled it runs at:' }), el('ol', { class: 'next-runs', 'aria-label': `Next runs of ${name}` }, upcoming.map((d) => el('li', { text: d })))]
        : el('p', { class: 'hint', text: job.enabled ? 'Not scheduled.' : 'Disabled: not scheduled.' }));

      const started = parseServerDate(job.lastExecutionDate);
      const finished = parseServerDate(job.lastExecutionFinishedDate);
      clear(last, statusBadge(job.lastStatus),
        job.lastExecutionDate ? el('div', { text: job.lastExecutionDate }) : null,
        job.lastExecutionFinishedDate && !Number.isNaN(started) && !Number.isNaN(finished)
          ? el('div', { class: 'hint', text: `took ${formatDuration(finished - started)}` }) : null,
        job.lastMessage ? el('div', { class: 'message', text: job.lastMessage }) : null);
    }

    cronForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      cronError.hidden = true;
      cronInput.removeAttribute('aria-invalid');
      const cron = cronInput.value.trim();
      try {
        await busy(cronSave, () => save({ cron }));
        toast(`${name}: schedule saved`, 'success');
      } catch (err) {
        if (err.authLost) return;
        cronError.textContent = err.message;
        cronError.hidden = false;
        cronInput.setAttribute('aria-invalid', 'true');
        cronInput.focus();
      }
    });

    async function refresh() {
      try {
        job = await get(path);
        fill();
      } catch (e) {
        showError(e);
      }
    }

    async function loadHistory() {
      clear(historyBody, el('p', { class: 'loading', text: 'Loading…' }));
      try {
        const runs = await get(`${path}/executions?limit=${HISTORY_LIMIT}`);
        clear(historyBody);
        if (!runs || !runs.length) {
          historyBody.append(el('p', { class: 'muted', text: `${name} has not run yet.` }));
          return;
        }
        historyBody.append(el('table', { class: 'history-table', 'aria-label': `Runs of ${name}` },
          el('thead', {}, el('tr', {}, ['Started', 'Finished', 'Status', 'Duration', 'Message'].map((h) => el('th', { scope: 'col', text: h })))),
          el('tbody', {}, runs.map((r) => el('tr', {},
            el('td', { text: r.startDate || '–' }), el('td', { text: r.finishDate || '–' }),
            el('td', {}, statusBadge(r.status)),
            el('td', { text: formatDuration(r.durationMs ?? (parseServerDate(r.finishDate) - parseServerDate(r.startDate))) }),
            el('td', { text: r.message || '' }))))));
      } catch (e) {
        if (!e.authLost) clear(historyBody, errorPanel(e, 'the run history'));
      }
    }

    historyBtn.addEventListener('click', () => {
      const open = historyRow.hidden;
      historyRow.hidden = !open;
      historyBtn.setAttribute('aria-expanded', String(open));
      if (open) loadHistory();
    });

    runBtn.addEventListener('click', async () => {
      runMessage.hidden = true;
      const before = job.lastExecutionDate;
      try {
        await busy(runBtn, () => post(`${path}/run-now`, {}));
        toast(`${name} started`, 'success');
      } catch (e) {
        if (e.authLost) return;
        runMessage.textContent = e.status === 409 ? `${name} is already running.` : e.message;
        runMessage.hidden = false;
        return;
      }
      // follow the run until it has finished (or 30 s)
      for (let i = 0; i < 60 && alive; i++) {
        await wait(i < 10 ? 300 : 1000);
        if (!alive) return;
        try {
          job = await get(path);
        } catch {
          break;
        }
        fill();
        if (job.lastStatus !== 'STARTED' && job.lastExecutionDate && (job.lastExecutionDate !== before || i > 3)) break;
      }
      if (!historyRow.hidden) loadHistory();
    });

    row.append(
      el('td', { 'data-label': 'Job' }, el('div', { class: 'job-name', text: name }),
        job.description ? el('p', { class: 'job-desc', text: job.description }) : null, paramsBox),
      enabledCell,
      el('td', { 'data-label': 'Schedule' }, cronForm, cronError, nextRuns),
      el('td', { 'data-label': 'Last run' }, last),
      el('td', {}, el('div', { class: 'job-actions' }, runBtn, historyBtn), runMessage));
    fill();
    return { refresh };
  }

  return () => {
    alive = false;
    for (const t of timers) clearTimeout(t);
  };
}
