// What every browser test stands on: a real `atio serve` with a temporary
// store serving the built UI (web/dist), Debian's chromium driven by
// playwright-core, logging in through the login form, and screenshots saved
// as test artifacts (web/e2e/artifacts/, git-ignored).
//
// A page that breaks the Content-Security-Policy, throws an uncaught error
// or gets a 5xx from atio fails its test at the next snap() or
// expectCleanPage().
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const webDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoDir = path.join(webDir, '..');
// The shared test corpus (real public data), found as tests/CMakeLists.txt finds it.
export const corpusDir =
  process.env.ATIO_CORPUS_DIR ??
  [path.join(repoDir, '..', 'shared', 'corpus'), '/work/shared/corpus'].find((d) => fs.existsSync(path.join(d, 'README.md')));
const artifactsDir = path.join(webDir, 'e2e', 'artifacts');
const atioBin = process.env.ATIO_BIN ?? path.join(repoDir, 'build', 'apps', 'atio', 'atio');
const chromiumBin = process.env.ATIO_CHROMIUM ?? '/usr/bin/chromium';

const running = new Set();
process.on('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

// Starts `atio serve` on a free port of 127.0.0.1 with a fresh data
// directory, loading the playbooks of the `playbooks` folder if given (the
// shipped ones are in path.join(repoDir, 'playbooks')). Resolves once it listens, with its URL, the admin key and
// password it printed, and api(), which calls the API with the admin key
// and answers the parsed body (any status; apiRaw() gives {status, body}).
export async function startAtio({ playbooks, args = [] } = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atio-e2e-'));
  const argv = ['serve', '--listen', '127.0.0.1:0', '--data', dataDir, '--ui-dir', path.join(webDir, 'dist'), ...args];
  if (playbooks) argv.push('--playbooks', playbooks);
  const proc = spawn(atioBin, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  const log = [];
  proc.stderr.on('data', (d) => log.push(String(d)));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('atio serve did not start in 30 s:\n' + log.join(''))), 30_000);
    proc.on('exit', (code) => reject(new Error(`atio serve exited (${code}):\n${log.join('')}`)));
    readline.createInterface({ input: proc.stdout }).on('line', (line) => {
      log.push(line + '\n');
      const m = line.match(/^atio: listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  const adminKey = fs.readFileSync(path.join(dataDir, 'admin-key'), 'utf8').trim();
  const adminPassword = fs.readFileSync(path.join(dataDir, 'admin-password'), 'utf8').trim();
  async function apiRaw(method, p, body, headers = {}) {
    const init = { method, headers: { Authorization: `Bearer ${adminKey}`, ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      init.headers['Content-Type'] ??= 'application/json';
    }
    const r = await fetch(url + '/api/v1' + p, init);
    const text = await r.text();
    let parsed = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: the text
    }
    return { status: r.status, body: parsed };
  }
  return {
    url,
    adminKey,
    adminPassword,
    dataDir,
    database: path.join(dataDir, 'atio.db'),
    log,
    apiRaw,
    api: async (method, p, body, headers) => (await apiRaw(method, p, body, headers)).body,
    // Like api(), but throws unless atio answers 2xx (for a test's setup).
    async apiOk(method, p, body, headers) {
      const r = await apiRaw(method, p, body, headers);
      if (r.status < 200 || r.status > 299) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      running.delete(proc);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// Headless chromium with the flags this closed network needs, a fresh
// profile (playwright makes a temporary one per launch), and a 1280×900 page that records what would make it unclean.
export async function openBrowser({ width = 1280, height = 900 } = {}) {
  const browser = await chromium.launch({
    executablePath: chromiumBin,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({ viewport: { width, height } });
  watchPage(page);
  return { browser, page };
}

const problemsOf = new WeakMap();

function watchPage(page) {
  const problems = [];
  problemsOf.set(page, problems);
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (load|execute|apply)/i.test(m.text())) problems.push('CSP: ' + m.text());
  });
  page.on('pageerror', (e) => problems.push('uncaught: ' + e.message));
  page.on('response', (r) => {
    if (r.status() >= 500) problems.push(`${r.status()} from ${r.request().method()} ${r.url()}`);
  });
}

// Throws when the page broke the CSP, threw, or got a 5xx since it opened.
export function expectCleanPage(page) {
  const problems = problemsOf.get(page) ?? [];
  if (problems.length) throw new Error('the page is not clean:\n' + problems.join('\n'));
}

// Logs in through the login form (the admin user by default) and waits for
// the menu.
export async function login(page, env, { name = 'admin', password = env.adminPassword } = {}) {
  await page.goto(env.url + '/');
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForSelector('[data-testid=whoami]');
}

// What every page must be: each control (button, link, input, select,
// textarea) has a name a screen reader reads and is reachable with the
// keyboard, and the page needs no sideways scrolling at its width (wide
// tables scroll inside their own box). Answers the problems found.
export async function usabilityProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const describe = (el) => `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''}> "${(el.textContent || '').trim().slice(0, 40)}"`;
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      const st = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && st.display !== 'none';
    };
    const nameOf = (el) => {
      if (el.getAttribute('aria-label')) return el.getAttribute('aria-label');
      const by = el.getAttribute('aria-labelledby');
      if (by) return by.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
      if (el.labels && el.labels.length) return [...el.labels].map((l) => l.textContent).join(' ');
      if (el.tagName === 'INPUT' && ['button', 'submit', 'reset'].includes(el.type)) return el.value;
      return (el.textContent || '').trim() || el.getAttribute('title') || (el.tagName === 'IMG' ? el.getAttribute('alt') : '');
    };
    for (const el of document.querySelectorAll('button, a[href], input:not([type=hidden]), select, textarea')) {
      if (!visible(el) || el.closest('[aria-hidden=true]')) continue;
      if (!String(nameOf(el) ?? '').trim()) problems.push('no accessible name: ' + describe(el));
      if (el.tabIndex < 0 && !el.disabled) problems.push('not reachable with the keyboard: ' + describe(el));
    }
    const doc = document.scrollingElement;
    if (doc.scrollWidth > window.innerWidth + 1) problems.push(`the page scrolls sideways: ${doc.scrollWidth} px wide at ${window.innerWidth} px`);
    return problems;
  });
}

// Saves web/e2e/artifacts/<name>.png (the whole page), after checking the
// page is clean and usable (usabilityProblems).
export async function snap(page, name) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: true });
  expectCleanPage(page);
  const problems = await usabilityProblems(page);
  if (problems.length) throw new Error(`page ${name} is not usable:\n` + [...new Set(problems)].join('\n'));
}

// Polls `fn` (sync or async) until it returns a truthy value, which it
// answers; throws `what` after `timeoutMs`.
export async function eventually(fn, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
