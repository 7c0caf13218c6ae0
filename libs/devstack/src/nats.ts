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

/**
 * A NATS server of its own on a loopback port, so parallel stacks never share subjects; with a
 * user and password (or a token) it refuses clients without them, and with `tls` it speaks only
 * TLS (and, with `tls.verify`, accepts only clients whose certificate the CA signed).
 */
export async function startNatsServer(o: {
  binary: string;
  host?: string;
  port: number;
  logFile: string;
  user?: string;
  pass?: string;
  token?: string;
  tls?: { cert: string; key: string; ca?: string; verify?: boolean };
  /** More flags, as given (the rehearsal passes docker-compose.yml's command). */
  args?: string[];
}): Promise<NatsServer> {
  const host = o.host ?? '127.0.0.1';
  const args = ['-a', host, '-p', String(o.port)];
  if (o.user !== undefined) args.push('--user', o.user, '--pass', o.pass ?? '');
  if (o.token !== undefined) args.push('--auth', o.token);
  if (o.tls) {
    args.push('--tls', '--tlscert', o.tls.cert, '--tlskey', o.tls.key);
    if (o.tls.ca) args.push('--tlscacert', o.tls.ca);
    if (o.tls.verify) args.push('--tlsverify');
  }
  args.push(...(o.args ?? []));
  const proc = startProcess('nats', o.binary, args, { logFile: o.logFile });
  await waitFor(`nats-server on ${host}:${o.port} (log: ${o.logFile})`, async () => {
    if (proc.child.exitCode !== null) throw new Error(`nats-server exited with code ${proc.child.exitCode}`);
    return isListening(host, o.port);
  });
  return { url: `nats://${host}:${o.port}`, process: proc, stop: () => proc.stop() };
}
