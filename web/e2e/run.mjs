// Runs every browser test (e2e/specs/*.test.mjs) one file at a time (one
// chromium and one atio at a time on a small machine). Needs the built UI
// (npm run build) and atio (ATIO_BIN, default build/apps/atio/atio).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const specs = path.join(path.dirname(fileURLToPath(import.meta.url)), 'specs');
const only = process.argv.slice(2);
const files = fs
  .readdirSync(specs)
  .filter((f) => f.endsWith('.test.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort()
  .map((f) => path.join(specs, f));
if (files.length === 0) {
  console.error('e2e: no test files in ' + specs);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
