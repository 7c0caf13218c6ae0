#!/usr/bin/env node
// `npm test`: builds what the tests run (the services run from their build, as in production),
// makes sure the pinned Temporal CLI is there and the programs the integration tests drive
// (Chromium, nats-server, openssl: found, else installed the platform's way), runs every jest
// project, and ends with one plain line of totals: "N passed, N failed, N skipped".
// PostgreSQL needs nothing here: the tests' global setup uses TEST_DATABASE_SERVER_URL, the
// server on 127.0.0.1:5432, or else an embedded server of their own (libs/devstack).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { totals } from './totals.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts }).status ?? 1;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const stopBeforeTests = (message) => {
  console.error(`\x1b[31m✖ ${message}\x1b[0m`);
  console.log('0 passed, 1 failed');
  process.exit(1);
};

// Dependencies: npm install when node_modules is missing or older than the lock file.
const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(bin('nx')) || !existsSync(installed) || statSync(installed).mtimeMs < statSync(join(root, 'package-lock.json')).mtimeMs) {
  console.log('Installing dependencies (npm install) ...');
  if (run('npm', ['install', '--no-audit', '--no-fund']) !== 0) stopBeforeTests('npm install failed: no tests were run.');
}
if (run(process.execPath, [join(root, 'scripts', 'ensure-temporal.mjs')]) !== 0) stopBeforeTests('No Temporal CLI (see above): no tests were run.');
if (run(bin('nx'), ['run-many', '-t', 'build', 'lint', '--output-style=static']) !== 0) {
  stopBeforeTests('Build or lint failed: no tests were run.');
}

// The programs the integration tests drive: found, or installed where this machine allows it;
// otherwise stop here with the command to run, rather than fail every browser test one by one.
const args = process.argv.slice(2);
const unitOnly = args.includes('--selectProjects=unit') || args.join(' ').match(/--selectProjects unit( -|$)/) !== null;
const testEnv = { ...process.env };
if (!unitOnly) {
  const stack = createRequire(import.meta.url)(join(root, 'libs', 'devstack', 'dist', 'index.js'));
  const tools = stack.ensureTestTools({});
  if (tools.problem) stopBeforeTests(tools.problem);
  testEnv.CHROMIUM_PATH = tools.found.chromium;
  testEnv.NATS_SERVER ??= tools.found['nats-server'];
  console.log(`Chromium for the browser tests: ${tools.found.chromium}`);
}

mkdirSync(join(root, '.data'), { recursive: true });
const results = join(root, '.data', 'jest-results.json');
const code = run(bin('jest'), ['--json', `--outputFile=${results}`, ...args], { env: testEnv });
console.log(totals([results]));
process.exit(code);
