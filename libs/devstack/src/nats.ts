import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isListening, startProcess, waitFor, type ManagedProcess } from './process';

/** NATS_SERVER when set, else `nats-server` on PATH, else Debian's /usr/sbin/nats-server. */
export function resolveNatsServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.NATS_SERVER) return existsSync(env.NATS_SERVER) ? env.NATS_SERVER : undefined;
  try {
    const onPath = execFileSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).trim();
    if (onPath) return onPath;
  } catch {
    // not on PATH
  }
  return existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : undefined;
}

export interface NatsServer {
  url: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** A NATS server of its own on a loopback port, so parallel stacks never share subjects. */
export async function startNatsServer(o: { binary: string; host?: string; port: number; logFile: string }): Promise<NatsServer> {
  const host = o.host ?? '127.0.0.1';
  const proc = startProcess('nats', o.binary, ['-a', host, '-p', String(o.port)], { logFile: o.logFile });
  await waitFor(`nats-server on ${host}:${o.port} (log: ${o.logFile})`, async () => {
    if (proc.child.exitCode !== null) throw new Error(`nats-server exited with code ${proc.child.exitCode}`);
    return isListening(host, o.port);
  });
  return { url: `nats://${host}:${o.port}`, process: proc, stop: () => proc.stop() };
}
