// The executions pages in a real browser against a real atio: a playbook with
// a Lua step and a manual step is imported and started; its execution page
// shows the steps succeed up to the manual step, which waits; the manual step
// is answered in the inbox (a second session) and the execution page, left open,
// turns every step and the execution succeeded by itself (server-sent
// events). Then the execution is run again, the new one is aborted, and the
// list is filtered by status and playbook.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { eventually, login, openBrowser, snap, startAtio } from '../harness.mjs';

const fixture = JSON.parse(await readFile(new URL('../fixtures/manual-approval.json', import.meta.url), 'utf8'));
const ids = Object.fromEntries(
  Object.entries(fixture.workflow).map(([id, s]) => [s.type === 'action' ? s.name : s.type, id]),
);
const scoreStep = ids['Score the host'];
const askStep = ids['Ask to isolate'];
const waitTimeout = { timeout: 15_000 };

let env;
let browser;
let page;

before(async () => {
  env = await startAtio({});
  ({ browser, page } = await openBrowser());
  await login(page, env);
  const imported = await env.apiRaw('POST', '/playbooks/import', fixture);
  assert.ok(imported.status < 300, `import: ${imported.status} ${JSON.stringify(imported.body)}`);
});

after(async () => {
  await browser?.close();
  await env?.stop();
});

const node = (stepId, status) => `[data-testid=step-node][data-step-id="${stepId}"][data-status="${status}"]`;
const row = (stepId, status) => `[data-testid=step-row][data-step-id="${stepId}"][data-status="${status}"]`;
const execRow = (id) => `[data-testid=execution-row][data-execution-id="${id}"]`;

async function startExecution() {
  const r = await env.apiRaw('POST', `/playbooks/${fixture.id}/executions`, {
    variables: { __event__: { host: 'ws-042', open_ports: 7 } },
  });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  return r.body.execution_ids[0];
}

let firstId;

test('the execution page shows each step live, and the inbox answers the manual step', async () => {
  firstId = await startExecution();
  await page.goto(`${env.url}/executions/${firstId}`);

  // Up to the manual step every step succeeded; the manual step waits; the end has not been reached.
  await page.waitForSelector(node(ids.start, 'succeeded'), waitTimeout);
  await page.waitForSelector(node(scoreStep, 'succeeded'), waitTimeout);
  await page.waitForSelector(node(askStep, 'waiting'), waitTimeout);
  await page.waitForSelector(node(ids.end, 'pending'), waitTimeout);
  await page.waitForSelector(row(scoreStep, 'succeeded'));
  await page.waitForSelector(row(askStep, 'waiting'));
  assert.equal(await page.getAttribute('[data-testid=execution-status]', 'data-status'), 'running');
  await page.waitForSelector('[data-testid=live-state][data-state=live]', waitTimeout);
  assert.match(await page.textContent('[data-testid=execution-playbook]'), /score a host, then ask an analyst/);

  // Selecting the Lua step shows what it computed.
  await page.click(`${node(scoreStep, 'succeeded')}`);
  await page.waitForSelector(`[data-testid=step-panel][data-step-id="${scoreStep}"]`);
  const outputs = await page.textContent('[data-testid=step-outputs]');
  assert.match(outputs, /__score__/);
  assert.match(outputs, /70/);
  await snap(page, 'execution-waiting');

  // The inbox, in a second browser session, shows the question with its context.
  const inboxContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const inbox = await inboxContext.newPage();
  await login(inbox, env);
  await inbox.goto(`${env.url}/manual`);
  const card = `[data-testid=manual-step][data-execution-id="${firstId}"]`;
  await inbox.waitForSelector(card, waitTimeout);
  assert.equal((await inbox.textContent(`${card} [data-testid=manual-command]`)).trim(), 'Host ws-042 scored 70. Isolate it?');
  assert.match(await inbox.textContent(card), /score a host, then ask an analyst/);
  await inbox.waitForSelector(`${card} [data-testid=variables-now]`);
  assert.match(await inbox.textContent(`${card} [data-testid=variables-now]`), /__score__/);
  await snap(inbox, 'manual-inbox');

  await inbox.fill(`${card} [data-testid=answer-response]`, 'isolate it');
  await inbox.click(`${card} [data-testid=answer-submit]`);
  await inbox.waitForSelector('[data-testid=answer-confirmation]', waitTimeout);
  assert.match(await inbox.textContent('[data-testid=answer-confirmation]'), /Answered “Ask to isolate” as succeeded/);
  assert.equal(await inbox.locator(card).count(), 0);
  await inbox.waitForSelector('[data-testid=manual-empty]');
  await snap(inbox, 'manual-answered');

  // The execution page, never reloaded, follows the execution to its end.
  await page.bringToFront();
  await page.waitForSelector('[data-testid=execution-status][data-status=succeeded]', waitTimeout);
  await page.waitForSelector('[data-testid=live-state][data-state=ended]', waitTimeout);
  // The statuses are attributes: a page just brought to the front may not
  // have drawn its graph again yet (react-flow hides a node until measured).
  for (const id of Object.keys(fixture.workflow)) await page.waitForSelector(node(id, 'succeeded'), { ...waitTimeout, state: 'attached' });
  const rowStatuses = await page.$$eval('[data-testid=step-row]', (rows) => rows.map((r) => r.getAttribute('data-status')));
  assert.equal(rowStatuses.length, Object.keys(fixture.workflow).length);
  assert.ok(rowStatuses.every((s) => s === 'succeeded'), `step rows: ${rowStatuses.join(', ')}`);
  await page.click(`[data-testid=step-row][data-step-id="${askStep}"] button`);
  await page.waitForSelector(`[data-testid=step-panel][data-step-id="${askStep}"]`);
  assert.match(await page.textContent('[data-testid=step-outputs]'), /isolate it/);
  await snap(page, 'execution-succeeded');
  await inboxContext.close();
});

test('run again starts the same playbook with the same variables, and abort stops it', async () => {
  await page.goto(`${env.url}/executions/${firstId}`);
  await page.waitForSelector('[data-testid=execution-status][data-status=succeeded]', waitTimeout);
  await page.click('[data-testid=rerun]');
  await page.waitForURL((u) => u.pathname.startsWith('/executions/') && !u.pathname.endsWith(firstId), waitTimeout);
  const secondId = new URL(page.url()).pathname.split('/').pop();
  await page.waitForSelector(node(askStep, 'waiting'), waitTimeout);
  const second = await env.api('GET', `/executions/${secondId}`);
  assert.deepEqual(second.variables, { __event__: { host: 'ws-042', open_ports: 7 } });

  await page.click('[data-testid=abort]');
  await page.click('[data-testid=abort-confirm]');
  await page.waitForSelector('[data-testid=execution-status][data-status=aborted]', waitTimeout);
  await page.waitForSelector(node(askStep, 'aborted'), waitTimeout);
  await page.waitForSelector(node(ids.end, 'skipped'), waitTimeout);
  await page.waitForSelector(row(ids.end, 'skipped'));
  await snap(page, 'execution-aborted');
});

test('the list filters executions by status and playbook', async () => {
  await page.goto(`${env.url}/executions`);
  await page.waitForSelector(execRow(firstId), waitTimeout);
  assert.match(await page.textContent(execRow(firstId)), /score a host, then ask an analyst/);
  await snap(page, 'executions-list');

  await page.selectOption('[data-testid=filter-status]', 'aborted');
  await page.waitForSelector(`${execRow(firstId)}`, { state: 'detached', ...waitTimeout });
  const statuses = await page.$$eval('[data-testid=execution-row]', (rows) => rows.map((r) => r.getAttribute('data-status')));
  assert.deepEqual(statuses, ['aborted']);
  await snap(page, 'executions-filtered');

  await page.selectOption('[data-testid=filter-status]', 'succeeded');
  await page.waitForSelector(execRow(firstId), waitTimeout);
  await page.selectOption('[data-testid=filter-playbook]', fixture.id);
  await page.waitForSelector(execRow(firstId), waitTimeout);
  assert.equal(await page.locator('[data-testid=execution-row]').count(), 1);

  await page.selectOption('[data-testid=filter-status]', 'failed');
  await page.waitForSelector('.state.empty', waitTimeout);
  assert.match(await page.textContent('.state.empty'), /No execution matches these filters/);

  // The row opens the execution.
  await page.click('button:has-text("Clear filters")');
  await page.click(`${execRow(firstId)} a`);
  await page.waitForSelector('[data-testid=execution-facts]', waitTimeout);
  assert.ok(page.url().endsWith(`/executions/${firstId}`));
  // It names the node that ran it (with several nodes, any of them).
  const { node } = await env.api('GET', `/executions/${firstId}`);
  assert.ok(node, 'the API names the node');
  assert.equal(await page.getAttribute('[data-testid=execution-node]', 'title'), node);
  assert.equal((await page.textContent('[data-testid=execution-node]')).trim(), node.slice(0, 8));
});

// Runs once atio documents `since`/`until` on GET /executions (OpenAPI).
async function listTakesTimeWindow() {
  const doc = await (await fetch(`${env.url}/api/v1/openapi.json`)).json();
  const params = doc.paths?.['/api/v1/executions']?.get?.parameters ?? [];
  return ['since', 'until'].every((n) => params.some((p) => p.name === n));
}

test('the list filters executions by creation time', async (t) => {
  if (!(await listTakesTimeWindow())) {
    t.skip('this atio does not take since/until on GET /executions');
    return;
  }
  await page.goto(`${env.url}/executions`);
  await page.waitForSelector(execRow(firstId), waitTimeout);

  await page.fill('[data-testid=filter-since]', '2099-01-01T00:00');
  await page.waitForSelector('.state.empty', waitTimeout);
  assert.ok(new URL(page.url()).searchParams.get('since')?.startsWith('2099-01-01') ||
    new URL(page.url()).searchParams.get('since')?.startsWith('2098-12-31'));

  await page.fill('[data-testid=filter-since]', '');
  await page.fill('[data-testid=filter-until]', '2000-01-01T00:00');
  await page.waitForSelector('.state.empty', waitTimeout);

  const created = new Date((await env.api('GET', `/executions/${firstId}`)).created_at);
  const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await page.fill('[data-testid=filter-until]', '');
  await page.fill('[data-testid=filter-since]', local(new Date(created.getTime() - 3_600_000)));
  await page.waitForSelector(execRow(firstId), waitTimeout);
});

test('the manual steps inbox pages a long list, 10 steps at a time', async () => {
  const waiting = (await env.api('GET', '/manual-steps')).manual_steps.length;
  const started = [];
  for (let i = waiting; i < 13; i++) started.push(await startExecution());
  await eventually(async () => (await env.api('GET', '/manual-steps')).manual_steps.length === 13, '13 manual steps waiting');
  await page.goto(`${env.url}/manual`);
  await page.waitForSelector('[data-testid=manual-step]', waitTimeout);
  assert.match(await page.textContent('[data-testid=manual-count]'), /13 steps wait/);
  assert.equal(await page.locator('[data-testid=manual-step]').count(), 10);
  await page.getByRole('button', { name: 'Next →' }).click();
  await page.waitForSelector('text=Page 2 of 2');
  assert.equal(await page.locator('[data-testid=manual-step]').count(), 3);
  await snap(page, 'manual-inbox-page-2');
  for (const id of started) await env.apiOk('POST', `/executions/${id}/abort`);
});
