#!/usr/bin/env node
// `npm run rehearse`: the production rehearsal (issue 21, docs/OPERATIONS.md). docker-compose.yml's
// topology as processes on this machine: the Temporal server and temporal-sql-tool (built once from
// the Go module proxy and cached like the CLI), PostgreSQL, nats-server with TLS and credentials, an
// SMTP server and two instances of every service in production; then the tests of
// test/rehearsal kill, restart and cut off each part under load. Ends with jest's totals and the time
// it took. .ci/run runs it after `npm test`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { totals } from './totals.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts }).status ?? 1;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const results = join(root, '.data', 'rehearsal-results.json');
const stop = (message) => {
  console.error(`\x1b[31m✖ ${message}\x1b[0m`);
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
};

if (!existsSync(bin('nx'))) {
  console.log('Installing dependencies (npm install) ...');
  if (run('npm', ['install', '--no-audit', '--no-fund']) !== 0) stop('npm install failed: the rehearsal did not run.');
}
if (run(process.execPath, [join(root, 'scripts', 'ensure-temporal.mjs'), '--server']) !== 0) stop('No Temporal CLI or server (see above): the rehearsal did not run.');
if (run(bin('nx'), ['run-many', '-t', 'build', '--output-style=static']) !== 0) stop('The build failed: the rehearsal did not run.');
const stack = createRequire(import.meta.url)(join(root, 'libs', 'devstack', 'dist', 'index.js'));
const tools = stack.ensureTestTools({});
if (tools.problem) stop(tools.problem);
const env = { ...process.env, NATS_SERVER: process.env.NATS_SERVER ?? tools.found['nats-server'] };

mkdirSync(join(root, '.data'), { recursive: true });
rmSync(results, { force: true });
const code = run(bin('jest'), ['-c', join(root, 'test', 'rehearsal', 'jest.config.js'), '--runInBand', '--json', `--outputFile=${results}`, ...process.argv.slice(2)], { env });
console.log(`The rehearsal took ${Math.round((Date.now() - started) / 1000)} s.`);
console.log(totals([results]));
process.exit(code);
