// The production rehearsal (issue 21): docker-compose.yml's topology run as processes on this host.
// It walks compose's services in the order of their depends_on, and runs each the way its container
// would, with the environment and commands compose gives it (compose.ts rewrites only addresses):
//   internal-certs    scripts/internal-certs.sh, the script the job mounts
//   postgresql        a PostgreSQL server of its own (so it can be stopped), compose's user and database
//   temporal-schema   deploy/temporal/setup-schema.sh with the temporal-sql-tool built here
//   temporal          temporal-server built here, reading the image's config/docker.yaml
//   temporal-setup    deploy/temporal/setup-namespace.sh with the pinned Temporal CLI (operator API)
//   nats              nats-server with compose's flags: TLS, client certificates, user and password
//   mailpit           MailDev, a real SMTP server (Mailpit is not packaged here)
//   the services      `instances` processes each, NODE_ENV=production over NATS, ready when the
//                     healthcheck compose runs (node services/X/dist/healthcheck.js) passes
// temporal-ui is the one part not run: the UI is a separate web app, no part of what is rehearsed.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { processCommand, processEnvironment, readCompose, type ComposeFile, type Placement, type ProcessEnvironmentOptions } from './compose';
import { makeThrowawayDataDir, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { startMailCatcher, type MailCatcher } from './mail';
import { REPO_ROOT, serviceEntry } from './paths';
import { startNatsServer, resolveNatsServer, type NatsServer } from './nats';
import { freePort, freePortIn, startProcess, waitFor, type ManagedProcess } from './process';
import { generateStackSecrets } from './secrets';
import { SERVICES, type Service } from './services';
import { resolveTemporalCli } from './temporal';
import { resolveTemporalServer, startProductionTemporalServer, TEMPORAL_SERVER_PORT_VARIABLES, temporalServerSource, type ProductionTemporalServer } from './temporal-server';

const execFileP = promisify(execFile);

/** The compose services the rehearsal runs, and the one it leaves out (with the reason above). */
export const REHEARSED_PARTS = ['internal-certs', 'postgresql', 'temporal-schema', 'temporal', 'temporal-setup', 'nats', 'mailpit', ...SERVICES] as const;
export const NOT_REHEARSED = ['temporal-ui'] as const;

/** The ports each service's instance listens on: its own, since instances share this host. */
const SERVICE_PORT_VARIABLES = ['GATEWAY_PORT', 'DIRECTORY_PORT', 'ACCESS_WORKFLOWS_PORT', 'NOTIFICATIONS_PORT'] as const;

/** The variables the rehearsal sets beyond compose's (all placement: ports on a shared host, PATH, where the schemas are). */
export const PLACEMENT_VARIABLES = ['PATH', 'SCHEMA_DIR', 'DB_PORT', 'VISIBILITY_DB_PORT', ...TEMPORAL_SERVER_PORT_VARIABLES, ...SERVICE_PORT_VARIABLES] as const;

export interface RehearsalOptions {
  logDir: string;
  /** Instances of each service (default 2). */
  instances?: number;
  /** The programs it runs; each found the usual way when not given (rehearsalPrograms). */
  programs?: RehearsalPrograms;
  compose?: ComposeFile;
  /** More of the operator's .env (settings compose reads with ${X:-default}). */
  vars?: Record<string, string>;
}

export interface RehearsalPrograms {
  temporalCli: string;
  temporalServer: { binDir: string; server: string };
  /** The server module's source: config/docker.yaml and schema/. */
  temporalSource: string;
  natsServer: string;
}

/** The Temporal CLI, the Temporal server (and its source) and nats-server, or an error saying how to get them. */
export function rehearsalPrograms(): RehearsalPrograms {
  const temporalCli = resolveTemporalCli();
  const temporalServer = resolveTemporalServer();
  const natsServer = resolveNatsServer();
  if (!temporalCli || !temporalServer || !natsServer) {
    throw new Error('The rehearsal needs the Temporal CLI and server and nats-server: run `npm run rehearse` once (it builds what is missing).');
  }
  return { temporalCli, temporalServer, temporalSource: temporalServerSource(), natsServer };
}

/** SIGKILL (a crash) and wait for the end, or a clean stop. */
async function halt(p: ManagedProcess, kill = false): Promise<void> {
  if (!kill) return p.stop();
  p.kill('SIGKILL');
  await p.exited;
}

export interface Instance {
  name: string;
  service: Service;
  env: Record<string, string>;
  process: ManagedProcess;
}

export interface Rehearsal {
  compose: ComposeFile;
  /** What an operator's .env would give: the stack's keys and passwords, made for this run. */
  vars: Record<string, string>;
  gatewayUrls: string[];
  /** The services' database (compose's POSTGRES_DB), as the superuser compose creates. */
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  mail: MailCatcher;
  instances: Map<string, Instance>;
  /** What each part was started with, by compose service (one entry per service, its first instance). */
  environments: Record<string, Record<string, string>>;
  logDir: string;
  /** SIGKILLs an instance, as a crash would. */
  kill(instance: string): Promise<void>;
  /** Starts an instance again with its environment, and waits until its healthcheck passes. */
  start(instance: string): Promise<void>;
  temporal: Restartable;
  nats: Restartable;
  postgres: Restartable;
  stop(): Promise<void>;
}

export interface Restartable {
  /** `kill`: SIGKILL (a crash), where the part is one process; otherwise a clean stop. */
  stop(o?: { kill?: boolean }): Promise<void>;
  start(): Promise<void>;
}

export async function startRehearsal(o: RehearsalOptions): Promise<Rehearsal> {
  const compose = o.compose ?? readCompose();
  const programs = o.programs ?? rehearsalPrograms();
  const count = o.instances ?? 2;
  mkdirSync(o.logDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'am-rehearsal-'));
  const certsDir = join(work, 'certs');
  const natsStore = join(work, 'nats');

  for (const name of Object.keys(compose.services)) {
    if (!(REHEARSED_PARTS as readonly string[]).includes(name) && !(NOT_REHEARSED as readonly string[]).includes(name)) {
      throw new Error(`docker-compose.yml has a service the rehearsal does not know how to run: ${name} (libs/devstack/src/rehearsal.ts)`);
    }
  }

  const secrets = generateStackSecrets();
  const vars: Record<string, string> = {
    ...secrets,
    POSTGRES_PASSWORD: randomBytes(18).toString('base64url'),
    NATS_PASSWORD: randomBytes(24).toString('base64url'),
    ...o.vars,
  };

  // Where each compose service listens here, by the port compose gives it (the services' instances
  // get theirs in instanceEnv).
  // The Temporal server records its ports in a smallint column: below the kernel's ephemeral range.
  const temporalPort = () => freePortIn(20_000, 32_000);
  const placements: Record<string, Placement> = {
    postgresql: { host: '127.0.0.1', ports: { 5432: await freePort() } },
    temporal: { host: '127.0.0.1', ports: { 7233: await temporalPort(), 9090: await freePort() } },
    nats: { host: '127.0.0.1', ports: { 4222: await freePort(), 8222: await freePort() } },
    mailpit: { host: '127.0.0.1', ports: { 1025: await freePort(), 8025: await freePort() } },
  };
  for (const s of Object.keys(compose.services)) placements[s] ??= { host: '127.0.0.1', ports: {} };
  let pgPort = placements.postgresql.ports[5432];
  const envOf = (service: string, certDir?: string) => processEnvironment(compose, service, { vars, placements, certDir } satisfies ProcessEnvironmentOptions);
  const environments: Record<string, Record<string, string>> = {};
  const logFile = (name: string) => join(o.logDir, `${name}.log`);
  const path = (...dirs: string[]) => [...dirs, process.env.PATH ?? ''].join(':');

  let postgres: EmbeddedPostgres | undefined;
  let temporal: ProductionTemporalServer | undefined;
  let nats: NatsServer | undefined;
  let mail: MailCatcher | undefined;
  const instances = new Map<string, Instance>();
  const gatewayUrls: string[] = [];

  const pgEnv = compose.services.postgresql.environment ?? {};
  const pgUser = pgEnv.POSTGRES_USER;
  const pgDb = pgEnv.POSTGRES_DB;
  const pgDataDir = makeThrowawayDataDir('am-rehearsal-pg-');
  // The server settings compose passes (`postgres -c name=value ...`).
  const pgCommand = processCommand(compose, 'postgresql', { vars, placements });
  const pgSettings = pgCommand.flatMap((a, i) => (pgCommand[i - 1] === '-c' ? [a] : []));
  const startPostgres = async () => {
    postgres = await startEmbeddedPostgres({
      dataDir: pgDataDir,
      port: pgPort,
      user: pgUser,
      password: vars.POSTGRES_PASSWORD,
      keepData: true,
      durable: true,
      settings: pgSettings,
      logFile: logFile('postgresql'),
    });
  };

  const startNats = async () => {
    // compose's flags, with its monitoring port placed here.
    const args = processCommand(compose, 'nats', { vars, placements, certDir: join(certsDir, 'nats') });
    const m = args.indexOf('-m');
    if (m >= 0) args[m + 1] = String(placements.nats.ports[Number(args[m + 1])]);
    nats = await startNatsServer({ binary: programs.natsServer, port: placements.nats.ports[4222], logFile: logFile('nats'), args: ['-sd', natsStore, ...args] });
  };

  const temporalEnv = async () => {
    const env = envOf('temporal');
    env.DB_PORT = String(pgPort);
    env.VISIBILITY_DB_PORT = String(pgPort);
    env.FRONTEND_GRPC_PORT = String(placements.temporal.ports[7233]);
    for (const v of TEMPORAL_SERVER_PORT_VARIABLES) if (v !== 'FRONTEND_GRPC_PORT') env[v] = String(await temporalPort());
    return env;
  };
  let temporalRunEnv: Record<string, string> | undefined;
  const startTemporal = async () => {
    temporalRunEnv ??= await temporalEnv();
    environments.temporal = temporalRunEnv;
    temporal = await startProductionTemporalServer({ server: programs.temporalServer.server, source: programs.temporalSource, env: temporalRunEnv, logFile: logFile('temporal') });
  };

  const runJob = async (name: string, script: string, env: Record<string, string>, args: string[] = []) => {
    environments[name] = env;
    try {
      // HOME as every container has one (the Temporal CLI reads its config folder from it).
      const { stdout, stderr } = await execFileP('sh', [script, ...args], { env: { HOME: process.env.HOME ?? tmpdir(), ...env }, maxBuffer: 16 * 1024 * 1024 });
      writeFileSync(logFile(name), stdout + stderr);
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      writeFileSync(logFile(name), `${e.stdout ?? ''}${e.stderr ?? ''}`);
      throw new Error(`The one-shot job ${name} failed: ${e.message}\n${e.stderr ?? ''}`);
    }
  };

  const instanceEnv = async (service: Service) => {
    const env = envOf(service, join(certsDir, service));
    env.PATH = process.env.PATH ?? '';
    for (const v of SERVICE_PORT_VARIABLES) env[v] = String(await freePort());
    return env;
  };
  const healthy = (inst: Instance) =>
    waitFor(
      `${inst.name} to pass its healthcheck (log: ${logFile(inst.name)})`,
      async () => {
        if (inst.process.child.exitCode !== null) throw new Error(`${inst.name} exited with code ${inst.process.child.exitCode}`);
        // Generous: on a busy 2-core machine eight instances start at once, and each check is a node process.
        await execFileP(process.execPath, [join(REPO_ROOT, 'services', inst.service, 'dist', 'healthcheck.js')], { env: inst.env, timeout: 20_000 });
        return true;
      },
      240_000,
      1_000,
    );
  const launch = (inst: Omit<Instance, 'process'>): Instance => {
    const proc = startProcess(inst.name, process.execPath, ['--enable-source-maps', serviceEntry(inst.service)], { env: inst.env, logFile: logFile(inst.name) });
    const full = { ...inst, process: proc };
    instances.set(inst.name, full);
    return full;
  };
  const startService = async (service: Service) => {
    const started = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const env = await instanceEnv(service);
        if (i === 0) environments[service] = env;
        return launch({ name: `${service}-${i + 1}`, service, env });
      }),
    );
    await Promise.all(started.map(healthy));
    if (service === 'api-gateway') for (const s of started) gatewayUrls.push(`http://127.0.0.1:${s.env.GATEWAY_PORT}`);
  };

  const starters: Record<string, () => Promise<void>> = {
    'internal-certs': async () => {
      const [out, ...names] = processCommand(compose, 'internal-certs', { vars, placements });
      if (out !== '/out') throw new Error(`internal-certs: expected /out as its first argument, got ${out}`);
      const env = envOf('internal-certs');
      // Its volumes here: the CA in its own folder, each name's certificates in certs/<name>.
      env.CA_DIR = join(work, 'internal-ca');
      delete env.CERT_OWNER; // the processes run as this user, not the images' `node`
      await runJob('internal-certs', join(REPO_ROOT, 'scripts', 'internal-certs.sh'), { ...env, PATH: path() }, [certsDir, ...names]);
    },
    postgresql: async () => {
      // The port was free when chosen, but another process on a shared machine may take it before
      // PostgreSQL binds it: then another port (only at the first start; a restart keeps its port).
      for (let attempt = 1; ; attempt++) {
        try {
          await startPostgres();
          break;
        } catch (err) {
          if (attempt >= 3 || !/already in use/i.test(String((err as Error).message))) throw err;
          pgPort = placements.postgresql.ports[5432] = await freePort();
        }
      }
      const admin = new Client({ connectionString: postgres!.url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${pgDb}"`);
      } finally {
        await admin.end();
      }
    },
    'temporal-schema': async () => {
      const env = envOf('temporal-schema');
      await runJob('temporal-schema', join(REPO_ROOT, 'deploy', 'temporal', 'setup-schema.sh'), {
        ...env,
        DB_PORT: String(pgPort),
        SCHEMA_DIR: join(programs.temporalSource, 'schema'),
        PATH: path(programs.temporalServer.binDir),
      });
    },
    temporal: startTemporal,
    'temporal-setup': async () => {
      const env = envOf('temporal-setup');
      await runJob('temporal-setup', join(REPO_ROOT, 'deploy', 'temporal', 'setup-namespace.sh'), { ...env, PATH: path(dirname(programs.temporalCli)) });
    },
    nats: startNats,
    mailpit: async () => {
      mail = await startMailCatcher({ smtpPort: placements.mailpit.ports[1025], webPort: placements.mailpit.ports[8025], logFile: logFile('mailpit') });
    },
    'temporal-ui': async () => undefined,
    ...Object.fromEntries(SERVICES.map((s) => [s, () => startService(s)])),
  };

  const stopAll = async () => {
    await Promise.all([...instances.values()].map((i) => i.process.stop()));
    await Promise.all([temporal?.stop(), nats?.stop(), mail?.stop()]);
    await postgres?.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(pgDataDir, { recursive: true, force: true });
  };

  // Compose's order: each part once everything it depends on has started (or, for a one-shot job, finished).
  const started = new Map<string, Promise<void>>();
  const run = (name: string): Promise<void> => {
    let p = started.get(name);
    if (!p) {
      const deps = compose.services[name].depends_on ?? [];
      const names = Array.isArray(deps) ? deps : Object.keys(deps);
      p = Promise.all(names.map(run)).then(() => starters[name]());
      started.set(name, p);
    }
    return p;
  };
  const all = await Promise.allSettled(Object.keys(compose.services).map(run));
  const failed = all.find((r) => r.status === 'rejected');
  if (failed) {
    await stopAll();
    throw (failed as PromiseRejectedResult).reason;
  }

  const connectionUrl = new URL(postgres!.url);
  connectionUrl.pathname = `/${pgDb}`;
  return {
    compose,
    vars,
    gatewayUrls,
    databaseUrl: connectionUrl.toString(),
    temporalAddress: temporal!.address,
    namespace: compose.services['temporal-setup'].environment?.TEMPORAL_NAMESPACE ?? 'default',
    mail: mail!,
    instances,
    environments,
    logDir: o.logDir,
    async kill(name) {
      const inst = instances.get(name);
      if (!inst) throw new Error(`no instance ${name}`);
      await halt(inst.process, true);
    },
    async start(name) {
      const inst = instances.get(name);
      if (!inst) throw new Error(`no instance ${name}`);
      await healthy(launch(inst));
    },
    temporal: { stop: (s) => halt(temporal!.process, s?.kill), start: startTemporal },
    nats: { stop: (s) => halt(nats!.process, s?.kill), start: startNats },
    postgres: {
      // PostgreSQL's fast shutdown: every connection is cut, and nothing answers until it starts again.
      stop: () => postgres!.stop(),
      start: startPostgres,
    },
    stop: stopAll,
  };
}
