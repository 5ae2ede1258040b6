// The playbook pages in a real browser against a real atio: import a corpus
// playbook (and see a refused one's field errors), search, export, protect,
// run; edit it in the graph editor (add a step, link it, save: version 2),
// make it invalid and see atio's error on the node; compare versions 1 and
// 2; restore version 1; delete it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startAtio, openBrowser, login, snap, corpusDir } from '../harness.mjs';

const corpus = corpusDir;
// OASIS's example of the CACAO 2.0 specification (section 3.1): start, one
// action with a manual command, end. atio accepts it as it is.
const goodFile = path.join(corpus, 'cacao2/playbooks/v2.0/oasis-tcs/spec-3.1-example.json');
// SOARCA's powershell example: atio has no powershell command type (422).
const refusedFile = path.join(corpus, 'cacao2/playbooks/v2.0/soarca/examples/powershell-playbook.json');

let env;
let browser;
let page;
let pb; // the imported document

before(async () => {
  env = await startAtio({});
  ({ browser, page } = await openBrowser());
  pb = JSON.parse(await readFile(goodFile, 'utf8'));
  await login(page, env);
});

after(async () => {
  await browser?.close();
  await env?.stop();
});

const stepSel = (id) => `[data-testid=step-node][data-step-id="${id}"]`;

// Drag from a step's bottom handle to another step's top handle.
async function connect(from, to) {
  const a = await page.locator(`${stepSel(from)} .react-flow__handle.source`).boundingBox();
  const b = await page.locator(`${stepSel(to)} .react-flow__handle.target`).boundingBox();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 8 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

function stepOf(type) {
  return Object.keys(pb.workflow).find((k) => pb.workflow[k].type === type);
}

let added; // the id of the step the editor adds

test('import a corpus playbook, refuse a bad one with its field errors, search', async () => {
  await page.goto(env.url + '/playbooks');
  await page.waitForSelector('text=No playbooks yet');
  await page.setInputFiles('[data-testid=import-file]', refusedFile);
  const refused = await page.waitForSelector('[data-testid=import-error]');
  const text = await refused.textContent();
  assert.match(text, /commands\/0\/type/);
  assert.match(text, /powershell/);
  await snap(page, 'playbooks-import-refused');

  await page.setInputFiles('[data-testid=import-file]', goodFile);
  await page.waitForSelector('[data-testid=import-done]');
  await page.waitForSelector(`[data-testid=playbook-row][data-playbook-id="${pb.id}"]`);
  await page.fill('[data-testid=playbook-search]', 'fuzzypanda');
  await page.waitForSelector(`[data-testid=playbook-row][data-playbook-id="${pb.id}"]`);
  await page.fill('[data-testid=playbook-search]', 'no such playbook');
  await page.waitForSelector('text=No playbook matches');
  await page.fill('[data-testid=playbook-search]', '');
  await snap(page, 'playbooks-list');
});

test('detail: graph, export, protect', async () => {
  await page.click(`[data-testid=playbook-row][data-playbook-id="${pb.id}"] a`);
  await page.waitForSelector('[data-testid=playbook-name]');
  assert.equal(await page.textContent('[data-testid=playbook-name]'), pb.name);
  await page.waitForSelector(stepSel(stepOf('action')));

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
  assert.equal(download.suggestedFilename(), `${pb.id}.json`);
  const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(exported.id, pb.id);
  assert.deepEqual(Object.keys(exported.workflow).sort(), Object.keys(pb.workflow).sort());

  await page.getByRole('button', { name: 'Protect', exact: true }).click();
  await page.waitForSelector('[data-testid=protection] >> text=protected');
  await page.getByRole('button', { name: 'Unprotect' }).click();
  await page.waitForSelector('[data-testid=protection] >> text=not protected');
  await snap(page, 'playbook-detail');
});

test('editor: add a step, link it in, save as version 2', async () => {
  await page.goto(`${env.url}/playbooks/${pb.id}/edit`);
  await page.waitForSelector(stepSel(stepOf('end')));
  await page.click('[data-testid=palette-action]');
  const form = await page.waitForSelector('[data-testid=step-form]');
  added = await form.getAttribute('data-step-id');
  assert.match(added, /^action--[0-9a-f-]{36}$/);
  await page.waitForSelector(stepSel(added));

  // The old action now goes to the new one (on completion), which goes to the end.
  await connect(stepOf('action'), added);
  await page.waitForSelector('[data-testid=link-chooser]');
  await page.check('[data-testid=link-kind-on_completion]');
  await page.click('[data-testid=link-ok]');
  await connect(added, stepOf('end'));
  await page.waitForSelector('[data-testid=link-chooser]');
  await page.click('[data-testid=link-ok]');

  await page.click(stepSel(added));
  await page.fill('[data-testid=step-name]', 'Confirm containment');
  await page.fill('[data-testid=manual-question]', 'Is the host contained?');
  await page.fill('[data-testid=save-comment]', 'ask for containment');
  await page.click('[data-testid=save]');
  await page.waitForSelector('[data-testid=save-notice]');
  await snap(page, 'playbook-editor');

  const stored = await env.apiRaw('GET', `/playbooks/${pb.id}`);
  assert.equal(stored.body.workflow[stepOf('action')].on_completion, added);
  assert.equal(stored.body.workflow[added].on_completion, stepOf('end'));
  assert.equal(stored.body.workflow[added].commands[0].command, 'Is the host contained?');
  // What the editor has no form for is kept.
  assert.deepEqual(stored.body.data_marking_definitions, pb.data_marking_definitions);
  assert.deepEqual(stored.body.external_references, pb.external_references);

  await page.click('text=See the version history');
  const row = await page.waitForSelector('[data-testid=version-row][data-version="2"]');
  assert.match(await row.textContent(), /ask for containment/);
  await snap(page, 'playbook-versions');
});

test('editor: an invalid playbook is refused and the error shows on its node', async () => {
  await page.goto(`${env.url}/playbooks/${pb.id}/edit`);
  await page.click(stepSel(added));
  await page.getByRole('button', { name: 'Remove command' }).click();
  await page.click('[data-testid=save]');
  await page.waitForSelector('[data-testid=save-problems]');
  await page.waitForSelector(`${stepSel(added)} [data-testid=step-problems]`);
  await page.click(stepSel(added));
  const field = await page.waitForSelector('[data-testid=step-form] [data-testid=field-problem]');
  assert.match(await field.textContent(), /at least 1 item/);
  await snap(page, 'playbook-editor-problems');
  const versions = await env.apiRaw('GET', `/playbooks/${pb.id}/versions`);
  assert.equal(versions.body.versions.length, 2, 'nothing was saved');
});

test('versions: diff 1 and 2, restore 1', async () => {
  await page.goto(`${env.url}/playbooks/${pb.id}/versions?from=1&to=2`);
  const ops = await page.waitForSelector('[data-testid=patch-ops]');
  assert.ok((await ops.textContent()).includes(`/workflow/${added}`));
  await page.waitForSelector('[data-testid=side-by-side] tr[data-kind=added]');
  await snap(page, 'playbook-versions-diff');

  await page.click('[data-testid=version-row][data-version="1"] >> text=Restore');
  await page.waitForSelector('[data-testid=restore-dialog]');
  await page.fill('[data-testid=restore-comment]', 'back to the original');
  await page.click('[data-testid=restore-confirm]');
  const notice = await page.waitForSelector('[data-testid=restore-notice]');
  assert.match(await notice.textContent(), /Version 1 restored as version 3/);
  await page.waitForSelector('[data-testid=version-row][data-version="3"]');
  await snap(page, 'playbook-versions-restored');
  const stored = await env.apiRaw('GET', `/playbooks/${pb.id}`);
  assert.equal(stored.body.workflow[added], undefined);
});

test('new playbook: drawn from the palette, linked by drag and by the form, created', async () => {
  await page.goto(env.url + '/playbooks');
  await page.getByRole('button', { name: 'New playbook' }).click();
  await page.waitForSelector('[data-testid=playbook-form]');
  const ids = await page.$$eval('[data-testid=step-node]', (ns) => ns.map((n) => n.dataset.stepId));
  const start = ids.find((i) => i.startsWith('start--'));
  const end = ids.find((i) => i.startsWith('end--'));
  await page.fill('[data-testid=playbook-name-input]', 'Drawn in the browser');
  await page.click('[data-testid=palette-action]');
  const action = await (await page.waitForSelector('[data-testid=step-form]')).getAttribute('data-step-id');
  await page.fill('[data-testid=manual-question]', 'Approve the block?');
  await page.getByLabel('Next step on completion (always next)').selectOption(end);
  // A start step links one way only: no question asked.
  await connect(start, action);
  await page.click('[data-testid=auto-layout]');
  await snap(page, 'playbook-new');
  await page.click('[data-testid=save]');
  await page.waitForURL(/\/edit$/);
  await page.waitForSelector('[data-testid=save-notice]');
  const created = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]);
  const stored = await env.apiRaw('GET', `/playbooks/${created}`);
  assert.equal(stored.body.name, 'Drawn in the browser');
  assert.equal(stored.body.workflow[start].on_completion, action);
  assert.equal(stored.body.workflow[action].on_completion, end);
  assert.ok(stored.body.agent_definitions[stored.body.workflow[action].agent], 'the action has a defined agent');
  await env.apiRaw('DELETE', `/playbooks/${created}`);
});

test('run, then delete with confirmation', async () => {
  await page.goto(`${env.url}/playbooks/${pb.id}`);
  await page.getByRole('button', { name: 'Run' }).click();
  await page.waitForSelector('[data-testid=run-dialog]');
  await page.fill('[data-testid=run-dialog] textarea', '{"__data_exfil_site__": "10.0.0.9"}');
  await snap(page, 'playbook-run');
  await page.click('[data-testid=run-dialog] button[type=submit]');
  await page.waitForURL(/\/executions\/[^/]+$/);
  const execId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
  const exec = await env.apiRaw('GET', `/executions/${execId}`);
  assert.equal(exec.body.playbook_id, pb.id);

  await page.goto(`${env.url}/playbooks/${pb.id}`);
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.waitForSelector('[data-testid=delete-dialog]');
  await page.click('[data-testid=delete-dialog] button.danger');
  await page.waitForURL(/\/playbooks$/);
  await page.waitForSelector('text=No playbooks yet');
});

test('the list pages 25 playbooks at a time and searches by id', async () => {
  for (let i = 0; i < 30; i++) {
    const id = `playbook--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const r = await env.apiRaw('POST', '/playbooks', { ...pb, id, name: `Paged playbook ${i}` });
    assert.equal(r.status, 201);
  }
  await page.goto(env.url + '/playbooks');
  await page.waitForSelector('[data-testid=playbook-row]');
  assert.equal(await page.locator('[data-testid=playbook-row]').count(), 25);
  await page.getByRole('button', { name: 'Older →' }).click();
  await page.waitForSelector('text=Page 2');
  assert.equal(await page.locator('[data-testid=playbook-row]').count(), 5);
  await page.fill('[data-testid=playbook-search]', '000000000017');
  await page.waitForSelector('text=1 of 30 playbooks');
  assert.equal(await page.locator('[data-testid=playbook-row]').count(), 1);
  assert.match(await page.textContent('[data-testid=playbook-row]'), /Paged playbook 17/);
});
