// Cases in a real browser against a real atio: a playbook opens a case
// (x-atio-case, the fixture under e2e/fixtures/), the analyst finds it in the
// list, opens it, acknowledges it with a note, assigns it, moves it to
// resolved, and sees its MTTD/MTTA/MTTR in the response-time charts; a move
// that another analyst made first is refused with atio's 409 message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startAtio, openBrowser, login, snap, eventually } from '../harness.mjs';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/case-by-hand.json', import.meta.url), 'utf8'));
let env, browser, page;

before(async () => {
  env = await startAtio({});
  ({ browser, page } = await openBrowser());
  await login(page, env);
  await env.apiOk('POST', '/playbooks', fixture);
});

after(async () => {
  await browser?.close();
  await env?.stop();
});

// Runs the fixture: one case, occurred 90 s before now, marked responded.
async function openCase(title) {
  const { execution_ids } = await env.apiOk('POST', `/playbooks/${fixture.id}/executions`, {
    variables: { __title__: title, __occurred__: String(Date.now() - 90_000), __misp_id__: '4711' },
  });
  const eid = execution_ids[0];
  const done = await eventually(async () => {
    const e = await env.apiOk('GET', `/executions/${eid}`);
    if (e.status === 'failed' || e.status === 'aborted') throw new Error(`execution ${e.status}: ${e.error}`);
    return e.status === 'succeeded' && e;
  }, `execution ${eid}`, 30_000);
  // The x-atio-case step's outputs list the cases it touched.
  const opened = done.steps.find((s) => s.outputs?.cases?.length);
  return { eid, caseId: opened.outputs.cases[0].case_id };
}

async function statusIs(status) {
  await page.waitForSelector(`dl.fields [data-testid=case-status][data-status=${status}]`);
}

test('an analyst acknowledges, assigns and resolves a case and sees its response times', async () => {
  const title = 'E2E: brute force on vpn-gw-1';
  const { eid } = await openCase(title);

  await page.goto(env.url + '/cases');
  const row = page.locator('[data-testid=case-row]', { hasText: title });
  await row.waitFor();
  assert.equal(await row.locator('[data-testid=case-status]').getAttribute('data-status'), 'new');
  await snap(page, 'cases-list');

  await row.getByRole('link', { name: title }).click();
  await page.waitForSelector('[data-testid=case-title]');
  assert.equal(await page.textContent('[data-testid=case-title]'), title);
  await statusIs('new');
  // Links: the execution that opened it (to its page), the MISP id, the STIX object.
  assert.equal(await page.getAttribute('[data-testid=case-execution-link]', 'href'), `/executions/${eid}`);
  await page.locator('[data-testid=case-links]', { hasText: '4711' }).waitFor();
  await page.locator('[data-testid=timeline-entry][data-kind=opened]').waitFor();

  await page.getByLabel('Note (optional)').first().fill('Looking at the VPN logs');
  await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
  await statusIs('acknowledged');
  await page.locator('[data-testid=timeline-entry][data-kind=acknowledged]', { hasText: 'Looking at the VPN logs' }).waitFor();
  await snap(page, 'case-acknowledged');

  await page.getByLabel('User name').fill('e2e-analyst');
  await page.getByRole('button', { name: 'Assign', exact: true }).click();
  await page.locator('[data-testid=case-assignee]', { hasText: 'e2e-analyst' }).waitFor();
  await page.locator('[data-testid=timeline-entry][data-kind=assigned]', { hasText: 'e2e-analyst' }).waitFor();

  // The status machine: acknowledged -> responding -> resolved, one step at a time.
  const options = await page.locator('select[name=status] option').allTextContents();
  assert.deepEqual(options, ['responding', 'false positive']);
  await page.selectOption('select[name=status]', 'responding');
  await page.getByRole('button', { name: 'Change status' }).click();
  await statusIs('responding');
  await page.selectOption('select[name=status]', 'resolved');
  await page.getByLabel('Note (optional)').fill('Password reset, source blocked');
  await page.getByRole('button', { name: 'Change status' }).click();
  await statusIs('resolved');
  await page.locator('[data-testid=timeline-entry][data-kind=status]', { hasText: 'Password reset, source blocked' }).waitFor();
  await page.getByText('that status is final').waitFor();
  await snap(page, 'case-resolved');

  // Response times: the charts of the last hour hold this case's durations.
  const [c] = (await env.apiOk('GET', '/cases?limit=1')).cases;
  assert.ok(c.mttd_ms >= 90_000 && c.mtta_ms !== null && c.mttr_ms !== null, JSON.stringify(c));
  await page.goto(env.url + '/cases/metrics');
  await page.selectOption('select[name=range]', '1h');
  for (const m of ['mttd', 'mtta', 'mttr']) {
    await page.waitForSelector(`[data-testid=chart-${m}]:not([data-points="0"])`);
    await page.waitForSelector(`[data-testid=aggregate-${m}][data-count="1"]`);
  }
  // One case: its own durations are the mean, the median and the p90.
  const medians = await page.$$eval('[data-testid=metrics-aggregates] tbody tr:first-child td[data-ms]', (tds) =>
    tds.map((td) => Number(td.getAttribute('data-ms'))),
  );
  assert.deepEqual(medians, [c.mttd_ms, c.mttd_ms, c.mttd_ms, c.mtta_ms, c.mtta_ms, c.mtta_ms, c.mttr_ms, c.mttr_ms, c.mttr_ms]);
  await snap(page, 'cases-metrics');
});

test('a move another analyst made first is refused with atio\'s message', async () => {
  const { caseId } = await openCase('E2E: port scan from 10.0.0.7');
  await page.goto(`${env.url}/cases/${caseId}`);
  await statusIs('new');
  // Someone else acknowledges it while the page still shows it new.
  await env.apiOk('POST', `/cases/${caseId}/acknowledge`, { note: 'taken by a colleague' });
  await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
  const conflict = page.locator('[data-testid=case-conflict]');
  await conflict.waitFor();
  assert.match(await conflict.textContent(), /acknowledged -> acknowledged is not allowed/);
  // The page reloaded the case: it now offers the moves from acknowledged.
  await statusIs('acknowledged');
  await page.locator('[data-testid=timeline-entry][data-kind=acknowledged]', { hasText: 'taken by a colleague' }).waitFor();
  await snap(page, 'case-conflict');
});
