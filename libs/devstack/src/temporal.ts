import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { cacheDir } from './paths';
import { startProcess, waitFor, type ManagedProcess } from './process';

/** The pinned Temporal CLI: the newest release `go install` accepts (later ones carry a replace directive). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

/** Search attributes the request workflows use, registered when the dev server starts. */
export const SEARCH_ATTRIBUTES = ['OrganizationId=Keyword', 'RequesterId=Keyword', 'RequestedRole=Keyword', 'RequestStatus=Keyword'];

export function cachedTemporalCliPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'bin', 'temporal');
}

/** TEMPORAL_CLI when set, else `temporal` on PATH, else the pinned build in the cache. */
export function resolveTemporalCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TEMPORAL_CLI) return existsSync(env.TEMPORAL_CLI) ? env.TEMPORAL_CLI : undefined;
  try {
    const onPath = execFileSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' }).trim();
    if (onPath) return onPath;
  } catch {
    // not on PATH
  }
  const cached = cachedTemporalCliPath(env);
  return existsSync(cached) ? cached : undefined;
}

export interface TemporalServer {
  address: string;
  uiUrl?: string;
  namespace: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export interface TemporalServerOptions {
  cli: string;
  host?: string;
  port: number;
  /** Omit for a headless server. */
  uiPort?: number;
  /** Omit for an in-memory server. */
  dbFile?: string;
  namespace?: string;
  logFile: string;
}

/** Starts `temporal server start-dev` and waits until its namespace answers. */
export async function startTemporalServer(o: TemporalServerOptions): Promise<TemporalServer> {
  const host = o.host ?? '127.0.0.1';
  const namespace = o.namespace ?? 'default';
  const args = ['server', 'start-dev', '--ip', host, '--port', String(o.port), '--namespace', namespace, '--log-level', 'warn'];
  if (o.uiPort) args.push('--ui-port', String(o.uiPort), '--ui-ip', host);
  else args.push('--headless');
  if (o.dbFile) args.push('--db-filename', o.dbFile);
  for (const sa of SEARCH_ATTRIBUTES) args.push('--search-attribute', sa);
  const proc = startProcess('temporal', o.cli, args, { logFile: o.logFile });
  const address = `${host}:${o.port}`;
  await waitFor(
    `the Temporal dev server at ${address} (log: ${o.logFile})`,
    async () => {
      if (proc.child.exitCode !== null) throw new Error(`temporal exited with code ${proc.child.exitCode}`);
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return true;
      } finally {
        await connection.close();
      }
    },
    60_000,
    250,
  );
  return { address, namespace, uiUrl: o.uiPort ? `http://${host}:${o.uiPort}` : undefined, process: proc, stop: () => proc.stop() };
}
