// What a page says while it loads, when what it shows does not exist, and
// when atio cannot be reached: a sentence that says what to do, and a Retry
// that works once atio answers again. The network is held or cut with
// playwright's request routing; atio itself is real.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAtio, openBrowser, login, snap } from '../harness.mjs';

let env;
let browser;
let page;

before(async () => {
  env = await startAtio({});
  ({ browser, page } = await openBrowser());
  await login(page, env);
});

after(async () => {
  await browser?.close();
  await env?.stop();
});

test('a page says it is loading until atio answers, then what is empty', async () => {
  let release;
  const held = new Promise((r) => (release = r));
  await page.route('**/api/v1/executions?*', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(env.url + '/executions');
  const loading = page.getByRole('status').filter({ hasText: 'Loading executions…' });
  await loading.waitFor();
  await snap(page, 'state-loading');
  release();
  await page.locator('.state.empty', { hasText: 'No playbook has run yet' }).waitFor();
  assert.equal(await loading.count(), 0);
  await page.unroute('**/api/v1/executions?*');
});

test('what does not exist is said so, with what to do', async () => {
  await page.goto(env.url + '/executions/00000000-0000-7000-8000-000000000000');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /It may have been deleted\./);
  await snap(page, 'state-not-found');

  await page.goto(env.url + '/playbooks/playbook--00000000-0000-4000-8000-000000000000');
  await page.getByRole('heading', { name: 'Playbook not found' }).waitFor();
  // A deleted playbook's history is kept: the page leads to it, to restore it.
  await page.getByRole('link', { name: 'version history' }).click();
  await page.waitForURL(/\/versions$/);
});

test('when atio cannot be reached the page says so, and Retry loads it once it can', async () => {
  await page.route('**/api/v1/cases?*', (route) => route.abort('connectionrefused'));
  await page.goto(env.url + '/cases');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /atio cannot be reached; check that it is running/);
  assert.match(await alert.textContent(), /Try again in a moment\./);
  await snap(page, 'state-unreachable');

  await page.unroute('**/api/v1/cases?*');
  await alert.getByRole('button', { name: 'Retry' }).click();
  await page.locator('.state.empty').waitFor();
  assert.equal(await page.getByRole('alert').count(), 0);
});
