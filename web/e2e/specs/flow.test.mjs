// An analyst's whole path with a playbook from the corpus (SOARCA's manual
// playbook): import the file through the Playbooks page, run it from its
// page, watch its execution live as the manual step comes to wait, answer
// it in the Manual steps inbox, and see every step turn succeeded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startAtio, openBrowser, login, snap, corpusDir } from '../harness.mjs';

const file = path.join(corpusDir, 'cacao2/playbooks/v2.0/soarca/examples/manual-playbook.json');
const doc = JSON.parse(await readFile(file, 'utf8'));
const steps = Object.keys(doc.workflow);
const manualStep = steps.find((id) => doc.workflow[id].commands?.some((c) => c.type === 'manual'));
const waitTimeout = { timeout: 15_000 };
const node = (id, status) => `[data-testid=step-node][data-step-id="${id}"][data-status="${status}"]`;

let env;
let browser;
let page;

before(async () => {
  env = await startAtio({});
  ({ browser, page } = await openBrowser());
});
after(async () => {
  await browser?.close();
  await env?.stop();
});

test('a corpus playbook is imported, run, its manual step answered, and every step succeeds', async () => {
  assert.ok(manualStep, 'the corpus playbook has a manual step');
  await login(page, env);
  await page.goto(env.url + '/playbooks');
  await page.setInputFiles('[data-testid=import-file]', file);
  await page.waitForSelector(`[data-testid=playbook-row][data-playbook-id="${doc.id}"]`, waitTimeout);

  await page.click(`[data-testid=playbook-row][data-playbook-id="${doc.id}"] a`);
  await page.getByRole('button', { name: 'Run' }).click();
  await page.click('[data-testid=run-dialog] button[type=submit]');
  await page.waitForURL(/\/executions\/[^/]+$/);
  const executionId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());

  // Live: the start succeeded, the manual step waits for a person, the end is pending.
  await page.waitForSelector(node(doc.workflow_start, 'succeeded'), waitTimeout);
  await page.waitForSelector(node(manualStep, 'waiting'), waitTimeout);
  await snap(page, 'flow-execution-waiting');

  await page.getByRole('link', { name: 'Manual steps' }).click();
  const card = `[data-testid=manual-step][data-execution-id="${executionId}"]`;
  await page.waitForSelector(card, waitTimeout);
  assert.equal((await page.textContent(`${card} [data-testid=manual-command]`)).trim(), doc.workflow[manualStep].commands[0].command);
  await page.fill(`${card} [data-testid=answer-response]`, 'done');
  await page.click(`${card} [data-testid=answer-submit]`);
  await page.waitForSelector('[data-testid=answer-confirmation]', waitTimeout);

  await page.goto(`${env.url}/executions/${executionId}`);
  await page.waitForSelector('[data-testid=execution-status][data-status=succeeded]', waitTimeout);
  for (const id of steps) await page.waitForSelector(node(id, 'succeeded'), waitTimeout);
  await snap(page, 'flow-execution-succeeded');
  const stored = await env.api('GET', `/executions/${executionId}`);
  assert.equal(stored.status, 'succeeded');
  assert.deepEqual(stored.steps.map((s) => s.status), steps.map(() => 'succeeded'));
});
