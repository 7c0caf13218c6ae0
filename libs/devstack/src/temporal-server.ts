// The production Temporal server as a process (issue 21): `temporal-server` and `temporal-sql-tool`
// built from the Go module proxy at the version the pinned CLI embeds, the version of the
// temporalio/server and temporalio/admin-tools images in docker-compose.yml. The server reads the
// same config/docker.yaml as the image (a template over environment variables), from the module's
// source in Go's module cache, where the schemas that temporal-sql-tool applies are too.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { cacheDir } from './paths';
import { startProcess, waitFor, type ManagedProcess } from './process';

/** Keep in step with scripts/ensure-temporal.mjs and the images in docker-compose.yml. */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';

/** TEMPORAL_SERVER_BIN_DIR when set, else the build cached by `node scripts/ensure-temporal.mjs --server`. */
export function temporalServerBinDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TEMPORAL_SERVER_BIN_DIR ?? join(cacheDir(env), `temporal-server-${TEMPORAL_SERVER_VERSION}`, 'bin');
}

export function resolveTemporalServer(env: NodeJS.ProcessEnv = process.env): { binDir: string; server: string; sqlTool: string } | undefined {
  const binDir = temporalServerBinDir(env);
  const server = join(binDir, 'temporal-server');
  const sqlTool = join(binDir, 'temporal-sql-tool');
  return existsSync(server) && existsSync(sqlTool) ? { binDir, server, sqlTool } : undefined;
}

/** The server module's source (config/docker.yaml, schema/): in Go's module cache, downloaded if need be. */
export function temporalServerSource(): string {
  const go = existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go';
  const out = execFileSync(go, ['mod', 'download', '-json', `go.temporal.io/server@${TEMPORAL_SERVER_VERSION}`], { encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod' } });
  const dir = (JSON.parse(out) as { Dir?: string }).Dir;
  if (!dir || !existsSync(join(dir, 'config', 'docker.yaml'))) throw new Error(`go mod download gave no source for go.temporal.io/server@${TEMPORAL_SERVER_VERSION}`);
  return dir;
}

/** The ports the server's config/docker.yaml reads, each its own on a shared host. */
export const TEMPORAL_SERVER_PORT_VARIABLES = [
  'FRONTEND_GRPC_PORT',
  'FRONTEND_HTTP_PORT',
  'FRONTEND_MEMBERSHIP_PORT',
  'HISTORY_GRPC_PORT',
  'HISTORY_MEMBERSHIP_PORT',
  'MATCHING_GRPC_PORT',
  'MATCHING_MEMBERSHIP_PORT',
  'WORKER_GRPC_PORT',
  'WORKER_MEMBERSHIP_PORT',
] as const;

export interface ProductionTemporalServer {
  address: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * `temporal-server --env docker start` as the image runs it, with `env` the container's environment,
 * and waits until its frontend answers (not the namespace: the set-up job creates that).
 */
export async function startProductionTemporalServer(o: { server: string; source: string; env: Record<string, string>; logFile: string; readyTimeoutMs?: number }): Promise<ProductionTemporalServer> {
  const host = o.env.BIND_ON_IP ?? '127.0.0.1';
  const address = `${host}:${o.env.FRONTEND_GRPC_PORT ?? '7233'}`;
  const proc = startProcess('temporal-server', o.server, ['--root', o.source, '--config', 'config', '--env', 'docker', '--allow-no-auth', 'start'], {
    logFile: o.logFile,
    env: { PATH: process.env.PATH, ...o.env },
  });
  try {
    await waitFor(
      `the Temporal server at ${address} (log: ${o.logFile})`,
      async () => {
        if (proc.child.exitCode !== null) throw new Error(`temporal-server exited with code ${proc.child.exitCode}`);
        const connection = await Connection.connect({ address, connectTimeout: 1000 });
        try {
          await connection.workflowService.getSystemInfo({});
          return true;
        } finally {
          await connection.close();
        }
      },
      o.readyTimeoutMs ?? 120_000,
      250,
    );
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { address, process: proc, stop: () => proc.stop() };
}
