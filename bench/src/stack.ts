import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import {
  createScratchDatabase,
  databaseServerForTests,
  freePort,
  generateStackSecrets,
  REPO_ROOT,
  resolveTemporalCli,
  startServices,
  startTemporalServer,
  type RunningServices,
  type ScratchDatabase,
  type TemporalServer,
} from '@am/devstack';
import { SqlCounter } from './counters';
import { startPrivatePostgres } from './pg-server';
import { SmtpSink } from './smtp-sink';

/** The bench's own keys: its seeders store TOTP secrets encrypted under them, as the directory does. */
export const BENCH_SECRETS = generateStackSecrets();

/** What the bench runs against: the same parts `npm start` and the tests start, with an SMTP sink of its own. */
export interface BenchStack {
  temporal: TemporalServer;
  database: ScratchDatabase;
  /** The server's maintenance database (where the bench's own monitoring queries go, so they are not counted as the product's). */
  serverUrl: string;
  /** Which PostgreSQL server, for the report. */
  databaseServer: string;
  /** Counts the SQL run against `database`. */
  sql: SqlCounter;
  /** Where each service serves its counters (OPERATOR_COUNTERS_DIR: <pid>.sock). */
  countersDir: string;
  sink: SmtpSink;
  services: RunningServices;
  client: Client;
  taskQueuePrefix: string;
  logDir: string;
  /** The services' environment (a phase that restarts one with other settings derives its own from it). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function startBenchStack(): Promise<BenchStack> {
  const logDir = join(REPO_ROOT, '.data', 'bench-logs', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(logDir, { recursive: true });
  const cli = resolveTemporalCli();
  if (!cli) throw new Error('No Temporal CLI found: run `npm run temporal:ensure`, or set TEMPORAL_CLI.');
  // The given server; else a cluster of the bench's own with pg_stat_statements (to count SQL
  // statements), from the PostgreSQL installed here; else the one on 127.0.0.1:5432, else an
  // embedded server (SQL statements then go uncounted unless that server preloads pg_stat_statements).
  const given = process.env.BENCH_DATABASE_SERVER_URL ?? process.env.TEST_DATABASE_SERVER_URL;
  const own = given
    ? undefined
    : await startPrivatePostgres(join(logDir, 'postgres.log')).catch((err: unknown) => {
        console.log(`Could not start a PostgreSQL cluster of the bench's own (${err instanceof Error ? err.message : String(err)}); using the local or an embedded server.`);
        return undefined;
      });
  const dbServer = own
    ? { url: own.url, source: 'own' as const, stop: own.stop }
    : await databaseServerForTests({ given, logFile: join(logDir, 'postgres.log') });
  const databaseServer = own ? own.description : `${dbServer.source} server ${dbServer.url.replace(/\/\/[^@]*@/, '//')}`;
  const countersDir = mkdtempSync(join(tmpdir(), 'am-bench-counters-'));
  const [temporalPort, gatewayPort, dirPort, awPort, notPort] = await Promise.all(Array.from({ length: 5 }, () => freePort()));
  const sink = new SmtpSink();
  const [temporal, database, smtpUrl] = await Promise.all([
    startTemporalServer({ cli, port: temporalPort, logFile: join(logDir, 'temporal.log') }),
    createScratchDatabase(dbServer.url, 'am_bench'),
    sink.start(),
  ]);
  const taskQueuePrefix = `bench-${process.pid}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    TASK_QUEUE_PREFIX: taskQueuePrefix,
    SMTP_URL: smtpUrl,
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: String(gatewayPort),
    DIRECTORY_PORT: String(dirPort),
    ACCESS_WORKFLOWS_PORT: String(awPort),
    NOTIFICATIONS_PORT: String(notPort),
    ...BENCH_SECRETS,
    // The bench signs its users in from one address.
    AUTH_RATE_LIMIT_PER_CLIENT: '1000000',
    // The worker-memory phase submits 10,000 requests with sessions signed in once, for longer than the default 15 minutes.
    ACCESS_TOKEN_TTL_SECONDS: '14400',
    // Each service serves its RPC counters on <dir>/<pid>.sock (service-kit, serveOperatorCounters).
    OPERATOR_COUNTERS_DIR: countersDir,
    // The bulk phase's in-flight Updates per call, when a run compares settings (the service's default otherwise).
    ...(process.env.BULK_DECISION_CONCURRENCY ? { BULK_DECISION_CONCURRENCY: process.env.BULK_DECISION_CONCURRENCY } : {}),
    // How many review workflows a campaign's activity starts at once (issue 18), when a run compares settings.
    ...(process.env.ACCESS_REVIEW_START_CONCURRENCY ? { ACCESS_REVIEW_START_CONCURRENCY: process.env.ACCESS_REVIEW_START_CONCURRENCY } : {}),
    ...(process.env.ACCESS_REVIEW_OPEN_RATE ? { ACCESS_REVIEW_OPEN_RATE: process.env.ACCESS_REVIEW_OPEN_RATE } : {}),
    // Outbound webhooks (issue 20): retries and timeouts at the service's defaults unless a run compares settings. (The
    // webhooks phase restarts the directory to reach its endpoints on 127.0.0.1: bench/src/webhooks.ts.)
    ...Object.fromEntries(
      ['WEBHOOK_RETRY_INITIAL', 'WEBHOOK_RETRY_MAX_INTERVAL', 'WEBHOOK_RETRY_FOR', 'WEBHOOK_TIMEOUT', 'WEBHOOK_DISABLE_AFTER'].flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : [])),
    ),
  };
  let services: RunningServices;
  try {
    // BENCH_PROFILE_DIR: every service writes a V8 CPU profile there when it stops (open in Chrome DevTools).
    const nodeArgs = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
    services = await startServices({ env, logDir, nodeArgs });
  } catch (err) {
    await Promise.allSettled([temporal.stop(), database.drop(), sink.stop()]);
    await dbServer.stop();
    throw err;
  }
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: temporal.namespace });
  const sql = await SqlCounter.open(database.url, database.name);
  return {
    temporal,
    database,
    serverUrl: dbServer.url,
    databaseServer,
    sql,
    countersDir,
    sink,
    services,
    client,
    taskQueuePrefix,
    logDir,
    env,
    async stop() {
      await connection.close();
      await services.stop();
      await Promise.allSettled([temporal.stop(), sink.stop()]);
      if (process.env.BENCH_KEEP_DB && dbServer.source !== 'embedded' && dbServer.source !== 'own') console.log(`Kept the database (BENCH_KEEP_DB): ${database.url}`);
      else await database.drop();
      await dbServer.stop();
      rmSync(countersDir, { recursive: true, force: true });
    },
  };
}
