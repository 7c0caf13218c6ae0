#!/usr/bin/env node
// `npm test`: builds what the tests run (the services run from their build, as in production),
// makes sure the pinned Temporal CLI is there, runs every jest project, and ends with one plain
// line of totals: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts }).status ?? 1;
const bin = (name) => join(root, 'node_modules', '.bin', name);

if (!existsSync(bin('nx'))) {
  console.log('Installing dependencies (npm install) ...');
  if (run('npm', ['install', '--no-audit', '--no-fund']) !== 0) process.exit(1);
}
if (run(process.execPath, [join(root, 'scripts', 'ensure-temporal.mjs')]) !== 0) process.exit(1);
if (run(bin('nx'), ['run-many', '-t', 'build', 'lint', '--output-style=static']) !== 0) {
  console.error('Build or lint failed: no tests were run.');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

mkdirSync(join(root, '.data'), { recursive: true });
const results = join(root, '.data', 'jest-results.json');
const code = run(bin('jest'), ['--json', `--outputFile=${results}`, ...process.argv.slice(2)]);
if (existsSync(results)) {
  const r = JSON.parse(readFileSync(results, 'utf8'));
  const failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
  console.log(`${r.numPassedTests} passed, ${failed} failed, ${r.numPendingTests + (r.numTodoTests ?? 0)} skipped`);
} else {
  console.log('0 passed, 1 failed');
}
process.exit(code);
