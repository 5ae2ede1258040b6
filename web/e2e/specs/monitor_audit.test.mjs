// The workflow monitor and the audit log in a real browser against a real
// atio. A protected playbook is deleted the way an insider would, with the
// sqlite3 command on atio's database file: the Monitor page shows the
// deletion live, by an unknown actor (outside atio), and atio's restoration.
// Then the audit log is filtered by action, a record opened, and the chain
// verified.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { startAtio, openBrowser, login, snap, eventually } from '../harness.mjs';

let env, browser, page;

// A valid CACAO 2.0 playbook with one Lua transform (as tests/integration/test_api.py's lua_playbook).
function luaPlaybook(name) {
  const [start, action, end, agent] = ['start', 'action', 'end', 'individual'].map((k) => `${k}--${randomUUID()}`);
  return {
    type: 'playbook',
    spec_version: 'cacao-2.0',
    id: `playbook--${randomUUID()}`,
    name,
    created_by: `identity--${randomUUID()}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    workflow_start: start,
    agent_definitions: { [agent]: { type: 'individual', name: 'SOC' } },
    playbook_variables: { __result__: { type: 'string' } },
    workflow: {
      [start]: { type: 'start', on_completion: action },
      [action]: {
        type: 'action',
        agent,
        on_completion: end,
        commands: [{ type: 'x-atio-lua', command: "return { __result__ = 'done' }" }],
        out_args: ['__result__'],
      },
      [end]: { type: 'end' },
    },
  };
}

const guarded = luaPlaybook('E2E: block the attacker (protected)');

before(async () => {
  env = await startAtio({});
  ({ browser, page } = await openBrowser());
  await login(page, env);
  await env.apiOk('POST', '/playbooks', guarded);
  await env.apiOk('PUT', `/playbooks/${guarded.id}/protection`);
});

after(async () => {
  await browser?.close();
  await env?.stop();
});

test('a protected playbook deleted outside atio shows live with an unknown actor, and its restoration', async () => {
  await page.goto(env.url + '/monitor');
  // The creation through the API is in the history, by the admin key.
  await page.locator(`[data-testid=monitor-history] [data-testid=monitor-event][data-kind=creation][data-playbook="${guarded.id}"]`).waitFor();
  await page.waitForSelector('[data-testid=feed-state][data-state=open]');

  // An insider deletes the row with sqlite3, bypassing atio's API.
  execFileSync('sqlite3', [join(env.dataDir, 'atio.db'), `DELETE FROM playbooks WHERE id = '${guarded.id}';`], { timeout: 30_000 });

  const live = page.getByTestId('live-feed');
  const deletion = live.locator(`[data-testid=monitor-event][data-kind=deletion][data-playbook="${guarded.id}"]`);
  await deletion.waitFor();
  assert.equal(await deletion.getAttribute('data-actor-kind'), 'unknown');
  assert.match(await deletion.getByTestId('actor-unknown').textContent(), /unknown \(outside atio\)/);
  assert.match(await deletion.textContent(), /protected/);

  const restored = live.locator(`[data-testid=monitor-event][data-restored=true][data-playbook="${guarded.id}"]`);
  await restored.waitFor();
  assert.match(await restored.getByTestId('recovery-restored').textContent(), /Restored.*version 1/);
  await snap(page, 'monitor-live');

  // And it really is back.
  const back = await eventually(() => env.apiOk('GET', `/playbooks/${guarded.id}`).catch(() => null), 'the playbook restored', 30_000);
  assert.equal(back.id, guarded.id);
});

test('the audit log filters by action, opens a record and verifies its chain', async () => {
  await page.goto(env.url + '/audit');
  await page.getByTestId('audit-table').waitFor();
  await snap(page, 'audit-log');

  await page.getByLabel('Action').fill('playbook.protect');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForURL(/action=playbook.protect/);
  const rows = page.getByTestId('audit-row');
  await eventually(async () => (await rows.count()) === 1 && (await rows.first().getAttribute('data-action')) === 'playbook.protect', 'the filtered rows', 30_000);

  await rows.first().getByRole('link').click();
  await page.getByTestId('audit-record').waitFor();
  assert.equal((await page.getByTestId('audit-action').textContent()).trim(), 'playbook.protect');
  assert.match(await page.getByTestId('audit-hash').textContent(), /^[0-9a-f]{64}$/);
  await page.getByRole('link', { name: guarded.id }).waitFor();
  await snap(page, 'audit-record');

  await page.getByRole('link', { name: '← Audit log' }).click();
  // Newest first, with a filter: the records of the same outcome, seqs falling.
  await page.getByLabel('Outcome').selectOption('success');
  await page.getByLabel('Order').selectOption('newest');
  await page.waitForURL(/(?=.*order=newest)(?=.*outcome=success)/);
  const { records } = await env.api('GET', '/audit?outcome=success&limit=1000');
  const expected = records.map((r) => r.seq).reverse().slice(0, 50);
  assert.ok(expected.length > 2);
  // Read in one go: the table re-renders as the filters apply.
  const seqs = () => page.$$eval('[data-testid=audit-row]', (trs) => trs.map((tr) => Number(tr.getAttribute('data-seq'))));
  await eventually(async () => JSON.stringify(await seqs()) === JSON.stringify(expected), 'the successful records, newest first', 30_000);
  await snap(page, 'audit-newest-first');
  await page.getByRole('button', { name: 'Clear filters' }).click();

  await page.getByTestId('verify-chain').click();
  const result = page.getByTestId('verify-result');
  await result.waitFor();
  assert.equal(await result.getAttribute('data-ok'), 'true');
  assert.match(await result.textContent(), /The audit log is intact/);
  assert.ok(Number(await page.getByTestId('verify-records').textContent()) > 0);
  await snap(page, 'audit-verify');
});

test('the audit record of a playbook change shows its content hashes and the diff', async () => {
  const pb = luaPlaybook('E2E: a playbook renamed');
  await env.apiOk('POST', '/playbooks', pb);
  await env.apiOk('PUT', `/playbooks/${pb.id}`, { ...pb, name: 'E2E: the new name', modified: '2026-01-02T00:00:00.000Z' });
  const { records } = await env.apiOk('GET', `/audit?action=playbook.update&object_id=${encodeURIComponent(pb.id)}`);
  assert.equal(records.length, 1);
  await page.goto(`${env.url}/audit/${records[0].seq}`);
  await page.getByTestId('audit-record').waitFor();
  assert.equal((await page.getByTestId('audit-action').textContent()).trim(), 'playbook.update');
  const change = page.locator('section', { has: page.getByRole('heading', { name: 'Playbook change' }) });
  assert.match(await change.getByText('Content hash before').locator('xpath=following-sibling::dd[1]').textContent(), /^[0-9a-f]{64}$/);
  assert.match(await change.getByText('Content hash after').locator('xpath=following-sibling::dd[1]').textContent(), /^[0-9a-f]{64}$/);
  const rename = change.locator('[data-testid=patch] li', { hasText: '/name' });
  assert.match(await rename.textContent(), /replace\s+\/name\s*"E2E: the new name"/);
  await snap(page, 'audit-record-diff');
});
