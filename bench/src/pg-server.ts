// The bench's own PostgreSQL server, so that SQL statements can be counted: pg_stat_statements
// must be loaded when the server starts (shared_preload_libraries), which a shared server such as
// the one on 127.0.0.1:5432 usually does not do and cannot be restarted to do. The cluster is a
// throwaway one (PostgreSQL's defaults, plus pg_stat_statements), from the PostgreSQL binaries
// installed on the machine, removed when the bench ends.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, openSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, makeThrowawayDataDir, waitFor } from '@am/devstack';

export interface PrivatePostgres {
  url: string;
  description: string;
  stop(): Promise<void>;
}

/** Where initdb and postgres are: BENCH_PG_BINDIR, else `pg_config --bindir`, else the newest /usr/lib/postgresql/<major>/bin. */
export function findPostgresBinaries(): string | undefined {
  const ok = (dir: string | undefined) => (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')) ? dir : undefined);
  if (process.env.BENCH_PG_BINDIR) return ok(process.env.BENCH_PG_BINDIR);
  try {
    const dir = ok(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    if (dir) return dir;
  } catch {
    // no pg_config
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
  for (const m of majors) if (ok(join(root, m, 'bin'))) return join(root, m, 'bin');
  return undefined;
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Initialises and starts a throwaway cluster with pg_stat_statements preloaded; undefined when no PostgreSQL binaries are installed. */
export async function startPrivatePostgres(logFile: string): Promise<PrivatePostgres | undefined> {
  const bindir = findPostgresBinaries();
  if (!bindir) return undefined;
  // PostgreSQL refuses to run as root: as root, it runs as the postgres user.
  const user = postgresUser();
  const dataDir = makeThrowawayDataDir('am-bench-pg-');
  if (user) chownSync(dataDir, user.uid, user.gid);
  const log = openSync(logFile, 'a');
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};
  execFileSync(join(bindir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'], { ...asUser, stdio: ['ignore', log, log] });
  const port = await freePort();
  const child: ChildProcess = spawn(
    join(bindir, 'postgres'),
    [
      '-D', dataDir,
      '-p', String(port),
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'shared_preload_libraries=pg_stat_statements',
      '-c', 'pg_stat_statements.track=top',
      '-c', 'pg_stat_statements.track_utility=on',
      '-c', 'pg_stat_statements.max=10000',
    ],
    { ...asUser, stdio: ['ignore', log, log] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT'); // fast shutdown
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  // A bench that dies leaves no server behind.
  process.once('exit', () => child.kill('SIGINT'));
  try {
    await waitFor(
      `the bench's PostgreSQL on 127.0.0.1:${port} (log ${logFile})`,
      async () => {
        if (child.exitCode !== null) throw new Error(`PostgreSQL exited with code ${child.exitCode} (log ${logFile})`);
        const c = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
        try {
          await c.connect();
          await c.end();
          return true;
        } catch {
          return false;
        }
      },
      120_000,
      200,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  const version = execFileSync(join(bindir, 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
  return { url, description: `the bench's own cluster (${version}, ${bindir}, pg_stat_statements preloaded)`, stop };
}
