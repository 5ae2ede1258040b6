// The admin area in a real browser against a real atio: assets (form, search,
// CSV import, field errors), policies, risk model, detections, users, API keys
// and secrets, and what a user without admin rights sees and is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAtio, openBrowser, snap } from '../harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name) => path.join(here, '..', 'fixtures', name);
const repo = path.join(here, '..', '..', '..');
const playbooks = path.join(repo, 'playbooks');
const uc2 = 'playbook--3baf7b12-f6c6-5473-91d7-058d10ae23a7'; // Use case 2: Suricata threat to MISP and DFIR-IRIS
const password = 'correct horse battery';

let env;
let browser;
let page;

// A call to the API with a key, as curl would make it.
async function withKey(key, method, route, body) {
  const res = await fetch(env.url + '/api/v1' + route, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

// Polls `fn` until it returns something truthy (atio works in the background).
async function eventually(fn, what) {
  for (let i = 0; i < 150; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`never happened: ${what}`);
}

async function logIn(name) {
  await page.goto(env.url + '/');
  await page.fill('input[name=name]', name);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector(`[data-testid=whoami]:has-text("${name}")`);
}

async function text(selector) {
  return (await page.locator(selector).innerText()).trim();
}

before(async () => {
  env = await startAtio({ playbooks });
  const made = await withKey(env.adminKey, 'POST', '/users', { name: 'ada', role: 'admin', password });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  ({ browser, page } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await env?.stop();
});

test('an admin logs in and sees who they are and what they may do', async () => {
  await logIn('ada');
  await page.click('nav[aria-label=Main] >> text=Users & keys');
  await page.waitForSelector('[data-testid=me]');
  assert.equal(await text('[data-testid=me-name]'), 'ada');
  assert.match(await text('[data-testid=me-role]'), /admin/);
  assert.match(await text('[data-testid=permissions]'), /admin\.users/);
  await snap(page, 'admin-account');
});

test('an asset made in the form is listed and found by search', async () => {
  await page.goto(env.url + '/assets');
  await page.waitForSelector('text=No assets yet');
  await page.click('text=Add asset');
  await page.fill('input[name=name]', 'web-1');
  await page.fill('input[name=ips]', '10.0.0.5, 2001:db8::5');
  await page.fill('input[name=hostnames]', 'WEB-1.corp.example');
  await page.fill('input[name=owner]', 'web team');
  await page.fill('input[name=tags]', 'pci, dmz');
  await page.selectOption('select[name=criticality]', '4');
  await snap(page, 'admin-asset-form');
  await page.click('form[data-testid=asset-form] button[type=submit]');
  await page.waitForSelector('[data-testid=asset-row]:has-text("web-1")');
  assert.match(await text('[data-testid=asset-row]:has-text("web-1")'), /web-1\.corp\.example/); // stored in lower case
  assert.match(await text('[role=status]'), /Saved web-1/);

  // the stored asset has what the form said
  const { body } = await withKey(env.adminKey, 'GET', '/assets');
  const web1 = body.assets.find((a) => a.name === 'web-1');
  assert.deepEqual(web1.tags, ['pci', 'dmz']);
  assert.equal(web1.criticality, 4);
  assert.equal(web1.owner, 'web team');
});

test('assets are imported from a CSV file', async () => {
  await page.click('text=Import CSV');
  await page.setInputFiles('input[type=file]', fixture('assets.csv'));
  await page.click('form[data-testid=import-form] button[type=submit]');
  await page.waitForSelector('[data-testid=import-result]');
  assert.match(await text('[data-testid=import-result]'), /Imported 3 assets: db-1, edge, core/);
  await snap(page, 'admin-asset-import');

  await page.click('[data-testid=import-result] >> text=See the assets');
  await page.waitForSelector('[data-testid=asset-row]:has-text("core")');
  assert.equal(await page.locator('[data-testid=asset-row]').count(), 4);
  await page.fill('input[type=search]', 'web team');
  await page.waitForSelector('[data-testid=asset-count]:has-text("1 of 4 assets")');
  assert.equal(await page.locator('[data-testid=asset-row]').count(), 1);
  assert.match(await text('[data-testid=asset-row]'), /web-1/);
  await page.fill('input[type=search]', '10.1.0.0/16');
  await page.waitForSelector('[data-testid=asset-row]:has-text("core")');
  assert.equal(await page.locator('[data-testid=asset-row]').count(), 1);
  await page.fill('input[type=search]', '');
  await snap(page, 'admin-assets');
});

test('an asset is edited in its form', async () => {
  await page.click('[data-testid=asset-row] >> text=web-1');
  await page.waitForSelector('input[name=name][value="web-1"]');
  assert.equal(await page.getAttribute('input[name=id]', 'readonly'), '');
  await page.fill('input[name=owner]', 'platform team');
  await page.click('form[data-testid=asset-form] button[type=submit]');
  await page.waitForSelector('[data-testid=asset-row]:has-text("platform team")');
});

test('a CSV file with a bad line imports nothing and names the line', async () => {
  await page.goto(env.url + '/assets/import');
  await page.setInputFiles('input[type=file]', fixture('assets-bad.csv'));
  await page.click('form[data-testid=import-form] button[type=submit]');
  await page.waitForSelector('[data-testid=import-errors]');
  const rows = page.locator('[data-testid=import-error]');
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).innerText(), /^3\s+ips\s+'10\.9\.0\.300' is not an IPv4 or IPv6 address\s+broken,/);
  assert.match(await rows.nth(1).innerText(), /criticality\s+must be an integer from 1 \(low\) to 5/);
  await snap(page, 'admin-asset-import-errors');
  const { body } = await withKey(env.adminKey, 'GET', '/assets');
  assert.ok(!body.assets.some((a) => a.name === 'ok-1'), 'nothing of the bad file was stored');
});

test('a bad asset shows atio’s errors next to the fields', async () => {
  await page.goto(env.url + '/assets/new');
  await page.fill('input[name=ips]', '10.0.0.300');
  await page.click('form[data-testid=asset-form] button[type=submit]');
  await page.waitForSelector('.field[data-pointer="/ips"] .field-errors');
  assert.match(await text('.field[data-pointer="/ips"] .field-errors'), /item 1: '10\.0\.0\.300' is not an IPv4 or IPv6 address/);
  assert.match(await text('.field[data-pointer="/name"] .field-errors'), /is required/);
  assert.equal(await page.getAttribute('input[name=ips]', 'aria-invalid'), 'true');
  await snap(page, 'admin-asset-field-errors');
});

test('policies are edited in a form, with atio’s errors under the field', async () => {
  await page.goto(env.url + '/assets/policies');
  await page.waitForSelector('text=No policies yet');
  await page.click('text=Add a policy');
  await page.fill('input[name=p0-name]', 'Critical assets: open a case');
  await page.check('[data-testid=policy-fieldset] >> text=alert');
  await page.fill('input[name=p0-min_importance]', '40');
  await page.fill('input[name=p0-asset_tags]', 'pci, db');
  await page.click('form[data-testid=policies-form] button[type=submit]');
  await page.waitForSelector('.field[data-pointer="/policies/0/response"] .field-errors');
  assert.match(await text('.field[data-pointer="/policies/0/response"] .field-errors'), /non-empty array/);
  await page.fill('input[name=p0-response]', 'open-case, notify-owner');
  await page.click('form[data-testid=policies-form] button[type=submit]');
  await page.waitForSelector('[data-testid=policy-table] >> text=Critical assets: open a case');
  assert.match(await text('[data-testid=policy-table]'), /kinds: alert; min_importance: 40; asset_tags: pci, db\s+open-case, notify-owner/);
  await snap(page, 'admin-policies');
});

test('policies are edited as JSON, with the parse error and atio’s field errors', async () => {
  await page.click('button[aria-pressed] >> text=JSON');
  const editor = page.getByLabel('Policies (JSON)');
  assert.match(await editor.inputValue(), /Critical assets: open a case/);
  await editor.fill('{"policies": [');
  await page.waitForSelector('[data-testid=json-parse-error]');
  await editor.fill(JSON.stringify({ policies: [{ name: 'empty', response: [] }] }, null, 2));
  await page.click('text=Save policies');
  await page.waitForSelector('[data-testid=json-field-errors]');
  assert.match(await text('[data-testid=json-field-errors]'), /\/policies\/0\/response must be a non-empty array/);
  await page.click('text=Undo changes');
  await page.click('text=Add an example policy');
  await page.click('text=Save policies');
  await page.waitForSelector('[data-testid=policy-table] >> text=PCI hosts: isolate on high-importance alerts');
  assert.equal(await page.locator('[data-testid=policy-table] tbody tr').count(), 2);
  await snap(page, 'admin-policies-json');
});

test('the risk model is edited in a form', async () => {
  await page.goto(env.url + '/assets/risk-model');
  await page.fill('input[name=confidence_floor]', '2');
  await page.click('text=Save the risk model');
  await page.waitForSelector('.field[data-pointer="/confidence_floor"] .field-errors');
  assert.match(await text('.field[data-pointer="/confidence_floor"] .field-errors'), /from 0 to 1/);
  await page.fill('input[name=confidence_floor]', '0.4');
  await page.fill('input[name="criticality_weight/5"]', '0.95');
  await page.click('text=Save the risk model');
  await page.waitForSelector('text=Saved.');
  const { body } = await withKey(env.adminKey, 'GET', '/risk-model');
  assert.deepEqual(body.configured, { confidence_floor: 0.4, criticality_weight: { 5: 0.95 } });
  await snap(page, 'admin-risk-model');
});

test('the detections feed lists what enrichment counted, with a detail view', async () => {
  await page.goto(env.url + '/assets/detections');
  await page.waitForSelector('text=No detections yet');

  // use case 2 enriches the example Suricata alert (its target 203.0.113.77 is the imported asset "edge")
  const alert = JSON.parse(await fs.readFile(path.join(repo, 'examples', 'suricata-alert.json'), 'utf8'));
  const started = await withKey(env.adminKey, 'POST', `/playbooks/${uc2}/executions`, { variables: { __event__: alert } });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  await eventually(async () => (await withKey(env.adminKey, 'GET', '/detections')).body.detections.length > 0, 'a detection');

  await page.reload();
  const row = page.locator('[data-testid=detection-table] tbody tr');
  await page.waitForSelector('[data-testid=detection-table] tbody tr:has-text("edge")'); // the asset's name, once the assets are in
  assert.equal(await row.count(), 1);
  await snap(page, 'admin-detections');
  await row.first().locator('a').click();
  await page.waitForSelector('.facts a:has-text("edge")');
  assert.match(await text('.facts'), /Importance\s+\d+ \/ 100/);
  assert.match(await text('.json-view'), /detection_id/);
  await snap(page, 'admin-detection-detail');
});

test('an admin makes an analyst', async () => {
  await page.goto(env.url + '/admin/users');
  await page.fill('input[name=user-name]', 'ana');
  await page.selectOption('select[name=user-role]', 'analyst');
  await page.fill('input[name=user-password]', 'short');
  await page.click('form[data-testid=user-form] button[type=submit]');
  await page.waitForSelector('.field[data-pointer="/password"] .field-errors');
  assert.match(await text('.field[data-pointer="/password"] .field-errors'), /at least 12 characters/);
  await page.fill('input[name=user-password]', password);
  await page.click('form[data-testid=user-form] button[type=submit]');
  await page.waitForSelector('[data-testid=user-row][data-user=ana]');
  assert.equal(await page.locator('[data-testid=user-row][data-user=ana] select').inputValue(), 'analyst');
  assert.match(await text('[data-testid=users-notice]'), /Made the user ana \(analyst\)/);
  await snap(page, 'admin-users');
});

test('an admin changes a role, disables, enables and sets a password', async () => {
  await withKey(env.adminKey, 'POST', '/users', { name: 'temp', role: 'viewer', password });
  await page.reload();
  const row = page.locator('[data-testid=user-row][data-user=temp]');
  await row.locator('select').selectOption('auditor');
  await row.locator('text=Save role').click();
  await page.waitForSelector('[data-testid=users-notice]:has-text("temp is now auditor")');
  await row.locator('button:has-text("Disable")').click();
  await row.locator('[role=group] button:has-text("Disable")').click();
  await page.waitForSelector('[data-testid=user-row][data-user=temp] >> text=disabled');
  await row.locator('button:has-text("Enable")').click();
  await page.waitForSelector('[data-testid=user-row][data-user=temp] >> text=enabled');
  await row.locator('button:has-text("Set password")').click();
  await page.getByLabel('New password for temp').fill('another long passphrase');
  await page.locator('tr.row-detail button[type=submit]').click();
  await page.waitForSelector('[data-testid=users-notice]:has-text("Set the password of temp")');
  const login = await fetch(env.url + '/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'temp', password: 'another long passphrase' }),
  });
  assert.equal(login.status, 200);
  const { body } = await withKey(env.adminKey, 'GET', '/users/temp');
  assert.equal(body.role, 'auditor');
  assert.equal(body.disabled, false);
});

test('an API key is shown once, works, and stops working when revoked', async () => {
  await page.goto(env.url + '/admin');
  await page.fill('input[name=key-name]', 'ci-runner');
  await page.selectOption('select[name=key-role]', 'viewer');
  await page.click('form[data-testid=key-form] button[type=submit]');
  const shown = page.locator('[data-testid=new-api-key]');
  await shown.waitFor();
  const key = await shown.inputValue();
  assert.match(key, /^atio_[0-9a-f]{64}$/);
  assert.match(await text('.new-key'), /only this once/);
  await snap(page, 'admin-api-key-created');

  const me = await withKey(key, 'GET', '/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.name, 'ci-runner');
  assert.equal(me.body.role, 'viewer');

  await page.click('text=I have copied it');
  assert.equal(await page.locator('[data-testid=new-api-key]').count(), 0, 'the key is not shown again');
  const row = page.locator('[data-testid=key-row]:has-text("ci-runner")');
  await row.locator('button:has-text("Revoke")').click();
  await row.locator('[role=group] button:has-text("Revoke")').click();
  await page.waitForSelector('[data-testid=key-row]:has-text("ci-runner")', { state: 'detached' });
  await page.check('text=Show revoked and expired keys');
  assert.match(await text('[data-testid=key-row]:has-text("ci-runner")'), /revoked/);
  assert.equal((await withKey(key, 'GET', '/me')).status, 401);
  await snap(page, 'admin-api-keys');
});

test('a secret is set and listed without its value', async () => {
  await page.goto(env.url + '/admin/secrets');
  await page.waitForSelector('text=No secrets yet');
  await page.click('text=New secret');
  await page.fill('input[name=secret-name]', 'misp');
  await page.fill('input[name=secret-description]', 'MISP automation key');
  await page.fill('input[name=secret-value]', 'very-secret-misp-key');
  await page.click('text=Save secret');
  await page.waitForSelector('[data-testid=secret-row]:has-text("misp")');
  assert.match(await text('[data-testid=secret-row]'), /MISP automation key/);
  assert.ok(!(await page.content()).includes('very-secret-misp-key'), 'the value is never shown');
  await snap(page, 'admin-secrets');
});

test('a long list of secrets is paged, 25 at a time', async () => {
  for (let i = 0; i < 30; i++) await env.apiOk('PUT', `/secrets/paged-${String(i).padStart(2, '0')}`, { value: `v${i}` });
  await page.goto(env.url + '/admin/secrets');
  await page.waitForSelector('[data-testid=secret-row]');
  assert.equal(await page.locator('[data-testid=secret-row]').count(), 25);
  await page.getByRole('button', { name: 'Next →' }).click();
  await page.waitForSelector('text=Page 2 of 2');
  assert.equal(await page.locator('[data-testid=secret-row]').count(), 6);
  for (let i = 0; i < 30; i++) await env.apiOk('DELETE', `/secrets/paged-${String(i).padStart(2, '0')}`);
});

test('an analyst sees no admin pages and is refused a write with a clear message', async () => {
  await page.click('text=Log out');
  await page.waitForSelector('input[name=password]');
  await logIn('ana');
  const menu = await text('nav[aria-label=Main]');
  assert.doesNotMatch(menu, /Audit log/);
  assert.doesNotMatch(menu, /Users & keys/);
  await page.click('nav[aria-label=Main] >> text=Account & keys');
  await page.waitForSelector('[data-testid=me-role]:has-text("analyst")');
  const tabs = await text('nav[aria-label=Accounts]');
  assert.doesNotMatch(tabs, /Users$|Secrets/m);
  const granted = await page.locator('[data-testid=permissions] .granted').allInnerTexts();
  assert.ok(granted.some((t) => t.includes('case.write')) && !granted.some((t) => t.includes('admin.users')));
  await page.goto(env.url + '/admin/users');
  assert.match(await text('[data-testid=needs-permission]'), /needs the permission admin\.users/);
  await snap(page, 'admin-analyst-no-users');

  await page.goto(env.url + '/assets');
  await page.waitForSelector('[data-testid=asset-row]');
  assert.match(await text('[data-testid=read-only]'), /may not change assets/);
  assert.equal(await page.locator('text=Add asset').count(), 0);
  await page.goto(env.url + '/assets/new');
  await page.fill('input[name=name]', 'sneaky');
  await page.fill('input[name=ips]', '10.0.0.9');
  await page.click('form[data-testid=asset-form] button[type=submit]');
  await page.waitForSelector('[data-testid=form-error]');
  const refusal = await text('[data-testid=form-error]');
  assert.match(refusal, /does not grant knowledge\.write/);
  assert.match(refusal, /ask an admin/);
  await snap(page, 'admin-analyst-refused');
});
