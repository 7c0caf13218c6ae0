#!/usr/bin/env node
// Makes sure a Temporal CLI (dev server + Web UI) is available: TEMPORAL_CLI, `temporal` on PATH,
// or the pinned version built once with `go install` from the Go module proxy and cached outside
// the clone (~6 min on 2 cores the first time). No Node dependencies: runs before `npm install`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const TEMPORAL_CLI_VERSION = 'v1.5.1'; // keep in step with libs/devstack/src/temporal.ts
const cache = process.env.ACCESS_MANAGER_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'access-manager');
const binDir = join(cache, `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'bin');
const cached = join(binDir, 'temporal');

function which(cmd) {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

if (process.env.TEMPORAL_CLI) {
  if (!existsSync(process.env.TEMPORAL_CLI)) {
    console.error(`TEMPORAL_CLI=${process.env.TEMPORAL_CLI} does not exist.`);
    process.exit(1);
  }
  process.exit(0);
}
if (which('temporal') || existsSync(cached)) process.exit(0);

const go = which('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
if (!go) {
  console.error(
    [
      'No Temporal CLI found, and no Go toolchain to build one.',
      'Either install Go (1.25+) so the pinned CLI can be built from the Go module proxy,',
      'or put a `temporal` binary on PATH, or set TEMPORAL_CLI=/path/to/temporal.',
    ].join('\n'),
  );
  process.exit(1);
}
mkdirSync(binDir, { recursive: true });
console.log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${binDir} (once; about 5-15 minutes) ...`);
const started = Date.now();
const r = spawnSync(go, ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
  stdio: 'inherit',
  env: { ...process.env, CGO_ENABLED: '0', GOBIN: binDir, GOFLAGS: '-buildvcs=false' },
});
if (r.status !== 0 || !existsSync(cached)) {
  console.error('Building the Temporal CLI failed (see above).');
  process.exit(1);
}
console.log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s: ${cached}`);
