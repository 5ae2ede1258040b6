// A large step output in a real browser against a real atio (docs/large-outputs.md): an
// http-api step fetches a report of about 220 KB from a local server; its body is over the
// --large-output-bytes this atio runs with, so the journal keeps a reference. The execution
// page shows the output's preview; Load more fetches the rest a page at a time until the whole
// text is shown, exactly as served; the Download link saves every byte under the output's name.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import { eventually, login, openBrowser, snap, startAtio } from '../harness.mjs';

const lines = 16000;
// The report: 14-byte lines with a 2-byte é, so page limits fall inside characters.
const expected = Array.from({ length: lines }, (_, i) => `line ${String(i + 1).padStart(5, '0')} é\n`).join('');
const expectedBytes = Buffer.from(expected, 'utf8');

const ids = {
  start: 'start--4b0e7c52-6f0a-4d8e-9d7a-1c2b3a4d5e01',
  action: 'action--4b0e7c52-6f0a-4d8e-9d7a-1c2b3a4d5e02',
  end: 'end--4b0e7c52-6f0a-4d8e-9d7a-1c2b3a4d5e03',
};
const agent = 'individual--4b0e7c52-6f0a-4d8e-9d7a-1c2b3a4d5e10';
const playbook = (url) => ({
  type: 'playbook',
  spec_version: 'cacao-2.0',
  id: 'playbook--4b0e7c52-6f0a-4d8e-9d7a-1c2b3a4d5e00',
  name: 'a report too large for the journal',
  created_by: 'identity--4b0e7c52-6f0a-4d8e-9d7a-1c2b3a4d5eff',
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  agent_definitions: { [agent]: { type: 'individual', name: 'SOC' } },
  workflow_start: ids.start,
  workflow: {
    [ids.start]: { type: 'start', on_completion: ids.action },
    [ids.action]: {
      type: 'action',
      name: 'Build the report',
      agent,
      commands: [{ type: 'http-api', command: `GET ${url} HTTP/1.1` }],
      on_completion: ids.end,
    },
    [ids.end]: { type: 'end' },
  },
});

let env;
let report;
let browser;
let page;
let executionId;

before(async () => {
  report = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': expectedBytes.length });
    res.end(expectedBytes);
  });
  await new Promise((resolve) => report.listen(0, '127.0.0.1', resolve));
  env = await startAtio({ args: ['--large-output-bytes', '20000'] });
  ({ browser, page } = await openBrowser());
  await login(page, env);
  const doc = playbook(`http://127.0.0.1:${report.address().port}/report`);
  await env.apiOk('POST', '/playbooks/import', doc);
  const started = await env.apiOk('POST', `/playbooks/${doc.id}/executions`, {});
  executionId = started.execution_ids[0];
  await eventually(async () => (await env.api('GET', `/executions/${executionId}`)).status === 'succeeded', 'the execution to succeed');
});

after(async () => {
  await browser?.close();
  await env?.stop();
  report?.close();
});

const section = '[data-testid=large-output][data-output-name=body]';
const shownBytes = async () => Number(await page.getAttribute(section, 'data-shown-bytes'));
const shownText = async () => page.textContent(`${section} [data-testid=large-output-text]`);

test('the step panel shows the preview, loads the rest page by page, and downloads it all', async () => {
  await page.goto(`${env.url}/executions/${executionId}`);
  await page.click(`[data-testid=step-row][data-step-id="${ids.action}"]`);
  await page.waitForSelector(section);

  // The preview: the first ~4 KiB, ending before a character it would cut.
  const preview = await shownText();
  assert.ok(preview.length > 3000, `preview of ${preview.length} characters`);
  assert.equal(preview, expected.slice(0, preview.length));
  assert.equal(Buffer.byteLength(preview), await shownBytes());
  assert.match(await page.textContent(`${section} h3`), /KiB · text\/plain; charset=utf-8/);
  assert.match(await page.textContent('[data-testid=step-outputs]'), /large output: \d+ bytes/);
  await snap(page, 'large-output-preview');

  // One page more: exactly the next bytes of the text, shown after the preview.
  await page.click(`${section} [data-testid=large-output-more]`);
  await eventually(async () => (await shownBytes()) > Buffer.byteLength(preview), 'a page to load');
  let text = await shownText();
  assert.equal(Buffer.byteLength(text), await shownBytes());
  assert.ok(Buffer.byteLength(text) <= Buffer.byteLength(preview) + 65536);
  assert.equal(text, expected.slice(0, text.length));

  // Load more until everything is shown: the button goes away and the text is the script's.
  for (let clicks = 0; (await page.$(`${section} [data-testid=large-output-more]`)) && clicks < 10; clicks++) {
    const before = await shownBytes();
    await page.click(`${section} [data-testid=large-output-more]`);
    await eventually(async () => (await shownBytes()) > before, 'the next page to load');
  }
  assert.equal(await page.$(`${section} [data-testid=large-output-more]`), null);
  text = await shownText();
  assert.equal(text, expected);
  assert.match(await page.textContent(`${section} [data-testid=large-output-shown]`), /^All .* shown\.$/);
  await snap(page, 'large-output-all');

  // The download is every byte, named after the output.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click(`${section} [data-testid=large-output-download]`),
  ]);
  assert.equal(download.suggestedFilename(), 'body');
  const saved = fs.readFileSync(await download.path());
  assert.equal(saved.length, expectedBytes.length);
  assert.ok(saved.equals(expectedBytes), 'the downloaded bytes are the output');
});
