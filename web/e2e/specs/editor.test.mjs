// The graph editor with every CACAO 2.0 step type, in a real browser against
// a real atio: each type is added from the palette and drawn with a shape and
// an icon of its own; a parallel step gets two branches, an if-condition its
// on_true and on_false, a while-condition its loop, a switch-condition two
// cases (by dragging and by the form); a wrong link and a stray step are
// deleted; the playbook is created and atio stores exactly that graph.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startAtio, openBrowser, login, snap, eventually } from '../harness.mjs';

const fixture = JSON.parse(await readFile(new URL('../fixtures/manual-approval.json', import.meta.url), 'utf8'));
const types = ['start', 'end', 'action', 'playbook-action', 'parallel', 'if-condition', 'while-condition', 'switch-condition'];

let env;
let browser;
let page;

before(async () => {
  env = await startAtio({});
  ({ browser, page } = await openBrowser());
  await login(page, env);
  // The playbook the playbook-action step runs.
  await env.apiOk('POST', '/playbooks', fixture);
});

after(async () => {
  await browser?.close();
  await env?.stop();
});

const stepSel = (id) => `[data-testid=step-node][data-step-id="${id}"]`;

// Drag from a step's bottom handle to another step's top handle.
async function drag(from, to) {
  const a = await page.locator(`${stepSel(from)} .react-flow__handle.source`).boundingBox();
  const b = await page.locator(`${stepSel(to)} .react-flow__handle.target`).boundingBox();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 8 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

// Auto-layout, and wait until it is done: the places come from elkjs and the
// view is fitted after the click returns, so a drag meanwhile would miss.
async function autoLayout() {
  const before = Number(await page.getAttribute('[data-testid=auto-layout]', 'data-layouts'));
  await page.click('[data-testid=auto-layout]');
  await page.waitForSelector(`[data-testid=auto-layout][data-layouts="${before + 1}"]`);
}

// Drag, then answer the link chooser: `kind` must be what it proposes
// (the first free branch slot) unless given, and a case needs its value.
async function link(from, to, { expect, choose, caseValue } = {}) {
  await drag(from, to);
  await page.waitForSelector('[data-testid=link-chooser]');
  if (expect) assert.ok(await page.isChecked(`[data-testid=link-kind-${expect}]`), `the chooser proposes ${expect}`);
  if (choose) await page.check(`[data-testid=link-kind-${choose}]`);
  if (caseValue !== undefined) await page.fill('[data-testid=link-case-value]', caseValue);
  await page.click('[data-testid=link-ok]');
  await page.waitForSelector('[data-testid=link-chooser]', { state: 'detached' });
}

// Adds a step of `type` from the palette; answers its id (the form opens on it).
async function add(type) {
  const before = new Set(await page.$$eval('[data-testid=step-node]', (ns) => ns.map((n) => n.dataset.stepId)));
  await page.click(`[data-testid=palette-${type}]`);
  const id = await page.locator('[data-testid=step-form]').getAttribute('data-step-id');
  assert.ok(id && !before.has(id) && id.startsWith(`${type}--`), `a new ${type} step`);
  await page.waitForSelector(stepSel(id));
  return id;
}

// The steps the palette (floating over the graph) hides.
function hiddenByPalette() {
  return page.evaluate(() => {
    const p = document.querySelector('.pb-palette').getBoundingClientRect();
    return [...document.querySelectorAll('[data-testid=step-node]')]
      .filter((n) => {
        const r = n.getBoundingClientRect();
        return r.left < p.right && p.left < r.right && r.top < p.bottom && p.top < r.bottom;
      })
      .map((n) => n.dataset.stepType);
  });
}

async function select(id) {
  await page.click(stepSel(id));
  await page.waitForSelector(`[data-testid=step-form][data-step-id="${id}"]`);
}

test('every step type is added, linked with its own kinds of link, deleted, and saved', async () => {
  await page.goto(env.url + '/playbooks/new');
  await page.waitForSelector('[data-testid=playbook-form]');
  await page.waitForSelector('[data-testid=step-node][data-step-type=end]');
  const first = await page.$$eval('[data-testid=step-node]', (ns) => ns.map((n) => n.dataset.stepId));
  const start = first.find((i) => i.startsWith('start--'));
  const end0 = first.find((i) => i.startsWith('end--'));
  await page.fill('[data-testid=playbook-name-input]', 'Every step type');

  const par = await add('parallel');
  const iff = await add('if-condition');
  await page.fill('[data-testid=step-condition]', "__n__:value = 'a'");
  const sw = await add('switch-condition');
  await page.getByLabel('Switch on').fill('__n__');
  const wh = await add('while-condition');
  await page.fill('[data-testid=step-condition]', "__n__:value = 'b'");
  const act = await add('action');
  await page.fill('[data-testid=manual-question]', 'Go on?');
  const sub = await add('playbook-action');
  await page.getByLabel('Playbook to run').selectOption(fixture.id);
  const end1 = await add('end');
  const end2 = await add('end');
  const end3 = await add('end');
  const end4 = await add('end');
  const stray = await add('action');
  await autoLayout();

  // Each type has a shape of its own, and an icon the browser can draw.
  const looks = await page.$$eval('[data-testid=step-node]', (nodes) =>
    nodes.map((n) => {
      const st = getComputedStyle(n);
      const before = getComputedStyle(n, '::before');
      const icon = n.querySelector('.step-icon');
      const font = getComputedStyle(icon).font;
      const draw = (ch) => {
        const c = document.createElement('canvas');
        c.width = 48;
        c.height = 48;
        const g = c.getContext('2d');
        g.font = font;
        g.fillText(ch, 8, 34);
        return Array.from(g.getImageData(0, 0, 48, 48).data).join(',');
      };
      return {
        type: n.dataset.stepType,
        shape: [st.borderRadius, st.borderStyle, st.borderWidth, st.backgroundColor, st.width, st.height, before.content, before.borderStyle, before.backgroundColor, before.transform].join(' '),
        iconMissing: draw(icon.textContent) === draw('\uE000'),
      };
    }),
  );
  const shapeOf = new Map(looks.map((l) => [l.type, l.shape]));
  assert.deepEqual([...shapeOf.keys()].sort(), [...types].sort(), 'a node of each type');
  assert.equal(new Set(shapeOf.values()).size, types.length, 'each type looks different:\n' + [...shapeOf].join('\n'));
  const missing = looks.filter((l) => l.iconMissing).map((l) => l.type);
  assert.deepEqual([...new Set(missing)], [], 'step icons with no glyph in the fonts');

  // start -> parallel (a start links one way only: no question).
  await drag(start, par);
  // The parallel step: two branches, then on completion to the first end (form).
  await link(par, iff, { expect: 'next_steps' });
  await link(par, sw, { expect: 'next_steps' });
  await select(par);
  await page.getByLabel('Next step on completion (always next)').selectOption(end0);
  // if: true -> action, false -> while (proposed in that order), completion -> end1.
  await link(iff, act, { expect: 'on_true' });
  await link(iff, wh, { expect: 'on_false' });
  await select(iff);
  await page.getByLabel('Next step on completion (always next)').selectOption(end1);
  await select(act);
  await page.getByLabel('Next step on completion (always next)').selectOption(end1);
  // while: true -> the playbook-action, which loops back; completion -> end2.
  await link(wh, sub, { expect: 'on_true' });
  await link(sub, wh, { expect: 'on_completion' });
  await select(wh);
  await page.getByLabel('Next step on completion (always next)').selectOption(end2);
  // switch: case "a" by dragging, "default" in the form, completion -> end3.
  await link(sw, end3, { choose: 'case', caseValue: 'a' });
  await select(sw);
  await page.fill('[data-testid=case-value]', 'default');
  await page.getByLabel('Goes to').selectOption(end4);
  await page.getByRole('button', { name: 'Add case' }).click();
  await page.getByLabel('Next step on completion (always next)').selectOption(end3);

  // A wrong link (the stray step's on failure) is selected on the graph and deleted.
  await link(stray, end4, { choose: 'on_failure' });
  const wrong = page.locator(`.react-flow__edge[data-id="${stray}|on_failure|failure|${end4}"]`);
  await wrong.focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=edge-panel]');
  await page.getByRole('button', { name: 'Delete link' }).click();
  await wrong.waitFor({ state: 'detached' });
  // The stray step is deleted with the Delete key.
  await select(stray);
  await page.locator(stepSel(stray)).focus();
  await page.keyboard.press('Delete');
  await page.waitForSelector(stepSel(stray), { state: 'detached' });

  await autoLayout();
  await eventually(async () => (await hiddenByPalette()).length === 0, 'no step hidden by the palette after auto-layout');
  await snap(page, 'editor-every-step-type');
  await page.click('[data-testid=save]');
  await page.waitForURL(/\/edit$/);
  await page.waitForSelector('[data-testid=save-notice]');
  const created = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]);
  const { workflow: w, workflow_start } = await env.apiOk('GET', `/playbooks/${created}`);
  assert.equal(workflow_start, start);
  assert.equal(w[stray], undefined, 'the deleted step is gone');
  assert.equal(w[start].on_completion, par);
  assert.deepEqual(w[par].next_steps, [iff, sw]);
  assert.equal(w[par].on_completion, end0);
  assert.deepEqual([w[iff].on_true, w[iff].on_false, w[iff].on_completion], [act, wh, end1]);
  assert.equal(w[iff].condition, "__n__:value = 'a'");
  assert.equal(w[act].on_completion, end1);
  assert.deepEqual([w[wh].on_true, w[wh].on_completion], [sub, end2]);
  assert.equal(w[sub].on_completion, wh);
  assert.equal(w[sub].playbook_id, fixture.id);
  assert.deepEqual(w[sw].cases, { a: end3, default: end4 });
  assert.equal(w[sw].switch, '__n__');
  assert.equal(w[sw].on_completion, end3);
  assert.deepEqual(Object.values(w).map((s) => s.type).sort(), [...types, 'end', 'end', 'end', 'end'].sort());
});
