import { join } from 'node:path';
import { REPO_ROOT } from './paths';
import { startProcess, waitFor, type ManagedProcess } from './process';

export interface CaughtMessage {
  id: string;
  subject: string;
  text: string;
  html: string;
  to: { address: string; name: string }[];
  from: { address: string; name: string }[];
  headers: Record<string, string>;
}

/** MailDev: a real SMTP server that keeps what it receives, with a web UI and a JSON API. */
export class MailCatcher {
  constructor(
    readonly smtpUrl: string,
    readonly webUrl: string,
    readonly process?: ManagedProcess,
  ) {}

  async messages(): Promise<CaughtMessage[]> {
    const res = await fetch(`${this.webUrl}/api/email`);
    if (!res.ok) throw new Error(`MailDev answered ${res.status}`);
    return (await res.json()) as CaughtMessage[];
  }

  /** Waits until a message matching `match` has arrived, and returns it. */
  async waitForMessage(match: (m: CaughtMessage) => boolean, timeoutMs = 30_000): Promise<CaughtMessage> {
    return waitFor('an email matching the expectation', async () => (await this.messages()).find(match), timeoutMs, 200);
  }

  async stop(): Promise<void> {
    await this.process?.stop();
  }
}

export async function startMailCatcher(o: { host?: string; smtpPort: number; webPort: number; logFile: string; mailDir?: string }): Promise<MailCatcher> {
  const host = o.host ?? '127.0.0.1';
  const bin = join(REPO_ROOT, 'node_modules', 'maildev', 'dist', 'bin', 'maildev.js');
  const args = [bin, '--smtp', String(o.smtpPort), '--ip', host, '--web', String(o.webPort), '--web-ip', host];
  if (o.mailDir) args.push('--mail-directory', o.mailDir);
  const proc = startProcess('maildev', process.execPath, args, { logFile: o.logFile });
  const catcher = new MailCatcher(`smtp://${host}:${o.smtpPort}`, `http://${host}:${o.webPort}`, proc);
  await waitFor(`MailDev on ${host}:${o.webPort} (log: ${o.logFile})`, async () => {
    if (proc.child.exitCode !== null) throw new Error(`maildev exited with code ${proc.child.exitCode}`);
    return (await fetch(`${catcher.webUrl}/api/healthz`)).ok;
  });
  return catcher;
}
