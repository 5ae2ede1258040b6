// Logging in and out, and what atio sends with the UI's files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAtio, openBrowser, login, snap } from '../harness.mjs';

let env;
let browser;
let page;

before(async () => {
  env = await startAtio();
  ({ browser, page } = await openBrowser());
});
after(async () => {
  await browser?.close();
  await env?.stop();
});

test('the UI comes with its security headers', async () => {
  const r = await fetch(env.url + '/playbooks');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(r.headers.get('content-security-policy'), /script-src 'self'/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
});

test('a wrong password is refused with a message, the right one logs in', async () => {
  await page.goto(env.url + '/');
  await snap(page, 'login');
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').textContent(), /wrong user name or password/);

  await login(page, env);
  assert.equal(await page.getByTestId('whoami').textContent(), 'admin (admin)');
  await snap(page, 'home');
});

test('logging out returns to the login form and ends the session', async () => {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('User name').waitFor();
  const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
  assert.equal(me, 401);
});
