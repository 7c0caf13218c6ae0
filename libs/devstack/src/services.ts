import { join } from 'node:path';
import { serviceEntry } from './paths';
import { startProcess, waitFor, type ManagedProcess } from './process';

export const SERVICES = ['directory', 'notifications', 'access-workflows', 'api-gateway'] as const;
export type Service = (typeof SERVICES)[number];

export interface RunningServices {
  gatewayUrl: string;
  processes: Map<Service, ManagedProcess>;
  /** Starts one service again (after a stop or a kill) with the same environment. */
  restart(service: Service): Promise<void>;
  stop(): Promise<void>;
}

/** Starts one service process (an extra instance, say) with the given environment. */
export function startServiceProcess(service: Service, env: NodeJS.ProcessEnv, logFile: string, nodeArgs: string[] = []): ManagedProcess {
  return startProcess(service, process.execPath, ['--enable-source-maps', ...nodeArgs, serviceEntry(service)], { env, logFile });
}

/** Starts the four services as separate processes, as in production, and waits until /health is ready. */
export async function startServices(o: {
  env: NodeJS.ProcessEnv;
  logDir: string;
  readyTimeoutMs?: number;
  /** Extra node flags for every service (the bench passes --cpu-prof). */
  nodeArgs?: string[];
}): Promise<RunningServices> {
  const gatewayUrl = `http://${o.env.GATEWAY_HOST ?? '127.0.0.1'}:${o.env.GATEWAY_PORT ?? '3000'}`;
  const processes = new Map<Service, ManagedProcess>();
  const launch = (service: Service) => processes.set(service, startServiceProcess(service, o.env, join(o.logDir, `${service}.log`), o.nodeArgs));
  for (const s of SERVICES) launch(s);
  const ready = () =>
    waitFor(
      `every service to report ready at ${gatewayUrl}/health (logs in ${o.logDir})`,
      async () => {
        for (const [name, p] of processes) if (p.child.exitCode !== null) throw new Error(`${name} exited with code ${p.child.exitCode}`);
        const res = await fetch(`${gatewayUrl}/health`);
        return res.ok;
      },
      o.readyTimeoutMs ?? 120_000,
      250,
    );
  const stop = async () => {
    await Promise.all([...processes.values()].map((p) => p.stop()));
  };
  try {
    await ready();
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    gatewayUrl,
    processes,
    stop,
    async restart(service) {
      await processes.get(service)?.stop();
      launch(service);
      await ready();
    },
  };
}
