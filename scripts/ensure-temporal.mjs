#!/usr/bin/env node
// Makes sure a Temporal CLI (dev server + Web UI) is available: TEMPORAL_CLI, `temporal` on PATH,
// or the pinned version built once with `go install` from the Go module proxy and cached outside
// the clone (~6 min on 2 cores the first time). No Node dependencies: runs before `npm install`.
//
// With --server it makes sure of the production parts too, for `npm run rehearse` (issue 21): the
// Temporal server and temporal-sql-tool at the version the CLI embeds (the version of the
// temporalio/server and temporalio/admin-tools images docker-compose.yml runs), built the same way
// into the same cache (a few minutes more once the CLI's modules are in Go's cache); or
// TEMPORAL_SERVER_BIN_DIR, a folder holding temporal-server and temporal-sql-tool.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const TEMPORAL_CLI_VERSION = 'v1.5.1'; // keep in step with libs/devstack/src/temporal.ts
export const TEMPORAL_SERVER_VERSION = 'v1.29.1'; // keep in step with libs/devstack/src/temporal-server.ts and docker-compose.yml
const cache = process.env.ACCESS_MANAGER_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'access-manager');
const binDir = join(cache, `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'bin');
const cached = join(binDir, 'temporal');
const serverBinDir = join(cache, `temporal-server-${TEMPORAL_SERVER_VERSION}`, 'bin');
const wantServer = process.argv.includes('--server');

function which(cmd) {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function goToolchain(what) {
  const go = which('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (go) return go;
  console.error(
    [
      `No ${what} found, and no Go toolchain to build one.`,
      'Either install Go (1.25+) so the pinned version can be built from the Go module proxy,',
      what === 'Temporal CLI' ? 'or put a `temporal` binary on PATH, or set TEMPORAL_CLI=/path/to/temporal.' : 'or set TEMPORAL_SERVER_BIN_DIR to a folder with temporal-server and temporal-sql-tool.',
    ].join('\n'),
  );
  process.exit(1);
}

function goInstall(what, dir, packages) {
  const go = goToolchain(what);
  mkdirSync(dir, { recursive: true });
  console.log(`Building ${what} with Go into ${dir} (once; about 5-15 minutes) ...`);
  const started = Date.now();
  const r = spawnSync(go, ['install', ...packages], {
    stdio: 'inherit',
    env: { ...process.env, CGO_ENABLED: '0', GOBIN: dir, GOFLAGS: '-buildvcs=false' },
  });
  if (r.status !== 0) {
    console.error(`Building ${what} failed (see above).`);
    process.exit(1);
  }
  console.log(`${what} built in ${Math.round((Date.now() - started) / 1000)} s.`);
}

function ensureCli() {
  if (process.env.TEMPORAL_CLI) {
    if (!existsSync(process.env.TEMPORAL_CLI)) {
      console.error(`TEMPORAL_CLI=${process.env.TEMPORAL_CLI} does not exist.`);
      process.exit(1);
    }
    return;
  }
  if (which('temporal') || existsSync(cached)) return;
  goInstall(`the Temporal CLI ${TEMPORAL_CLI_VERSION}`, binDir, [`github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`]);
  if (!existsSync(cached)) process.exit(1);
}

function ensureServer() {
  const given = process.env.TEMPORAL_SERVER_BIN_DIR;
  const dir = given ?? serverBinDir;
  const wanted = ['temporal-server', 'temporal-sql-tool'].map((b) => join(dir, b));
  if (wanted.every((f) => existsSync(f))) return;
  if (given) {
    console.error(`TEMPORAL_SERVER_BIN_DIR=${given} must hold temporal-server and temporal-sql-tool.`);
    process.exit(1);
  }
  // go install names the binaries after their folders (cmd/server, cmd/tools/sql): renamed to the
  // names the images use.
  goInstall(`the Temporal server ${TEMPORAL_SERVER_VERSION} and temporal-sql-tool`, dir, [
    `go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}`,
    `go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
  ]);
  renameSync(join(dir, 'server'), wanted[0]);
  renameSync(join(dir, 'sql'), wanted[1]);
}

ensureCli();
if (wantServer) ensureServer();
