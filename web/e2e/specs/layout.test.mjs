// Every page on a small laptop screen (1024×768) and by keyboard alone:
// nothing needs sideways scrolling, every control has a name and can be
// reached with Tab (checked by snap), and an analyst can log in and move
// between pages without a mouse.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startAtio, openBrowser, snap, repoDir, eventually } from '../harness.mjs';

const fixture = JSON.parse(await readFile(new URL('../fixtures/manual-approval.json', import.meta.url), 'utf8'));

let env;
let browser;
let page;
let executionId;

before(async () => {
  env = await startAtio({ playbooks: path.join(repoDir, 'playbooks') });
  const imported = await env.apiRaw('POST', '/playbooks/import', fixture);
  assert.ok(imported.status === 200 || imported.status === 201, JSON.stringify(imported.body));
  const started = await env.apiRaw('POST', `/playbooks/${fixture.id}/executions`, { variables: {} });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  executionId = started.body.execution_ids[0];
  await eventually(async () => (await env.api('GET', '/manual-steps')).manual_steps.length > 0, 'the manual step');
  ({ browser, page } = await openBrowser({ width: 1024, height: 768 }));
});
after(async () => {
  await browser?.close();
  await env?.stop();
});

test('an analyst logs in and moves between pages with the keyboard alone', async () => {
  await page.goto(env.url + '/');
  await page.getByLabel('User name').waitFor();
  // The user name field has the focus; Tab leads to the password, Enter submits.
  await page.keyboard.type('admin');
  await page.keyboard.press('Tab');
  await page.keyboard.type(env.adminPassword);
  await page.keyboard.press('Enter');
  await page.getByTestId('whoami').waitFor();
  // Tab from the top of the page reaches the menu; Enter on a link opens it.
  let reached = '';
  for (let i = 0; i < 15 && reached !== 'Cases'; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
  }
  assert.equal(reached, 'Cases', 'Tab never reached the Cases link');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/cases$/);
});

const pages = [
  ['playbooks', '/playbooks'],
  ['playbook', () => `/playbooks/${fixture.id}`],
  ['playbook-edit', () => `/playbooks/${fixture.id}/edit`],
  ['executions', '/executions'],
  ['execution', () => `/executions/${executionId}`],
  ['manual', '/manual'],
  ['cases', '/cases'],
  ['monitor', '/monitor'],
  ['audit', '/audit'],
  ['assets', '/assets'],
  ['admin', '/admin'],
];

test('every page fits a 1024 px wide screen and every control is named and reachable', async () => {
  // Logged in by the test before.
  for (const [name, where] of pages) {
    await page.goto(env.url + (typeof where === 'function' ? where() : where));
    await page.locator('main h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    await snap(page, `laptop-${name}`);
  }
});
