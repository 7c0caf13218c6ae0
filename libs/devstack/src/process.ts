import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { dirname } from 'node:path';

/** Binds `port` (0: any) on `host` and lets it go: the port it got, or undefined when it is taken. */
function probePort(port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(undefined));
    srv.listen(port, host, () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : undefined));
    });
  });
}

/** A free TCP port on the loopback interface. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const port = await probePort(0, host);
  if (port === undefined) throw new Error(`no free port on ${host}`);
  return port;
}

/**
 * A free TCP port from [low, high) on the loopback interface, tried at random: for a program that
 * cannot take the kernel's ephemeral ports (the Temporal server keeps its membership ports in a
 * smallint column, so they must stay below 32768).
 */
export async function freePortIn(low: number, high: number, host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = await probePort(low + Math.floor(Math.random() * (high - low)), host);
    if (port !== undefined) return port;
  }
  throw new Error(`no free port in [${low}, ${high}) on ${host}`);
}

/** Whether something accepts TCP connections at host:port. */
export function isListening(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('error', () => done(false));
    s.connect(port, host, () => done(true));
  });
}

/** Polls `check` until it returns a value, or fails after `timeoutMs` naming what it waited for. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
}

/** Spawns a long-running child whose output goes to a log file; a crash is visible in `exited`. */
export function startProcess(name: string, command: string, args: string[], options: SpawnOptions & { logFile: string }): ManagedProcess {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  // 'close' comes after the child's output is all read (unlike 'exit'), and the log file is flushed
  // before `exited` resolves: a test that reads the log of a process that just ended sees its last lines.
  // (A grandchild still holding the output open delays that by 2 s at most.)
  const exited = new Promise<number | null>((resolve) => {
    let done = false;
    const finish = (code: number | null) => {
      if (done) return;
      done = true;
      log.end(() => resolve(code));
    };
    child.once('exit', (code) => {
      const late = setTimeout(() => finish(code), 2_000);
      child.once('close', () => {
        clearTimeout(late);
        finish(code);
      });
    });
    child.once('error', () => finish(-1));
  });
  return {
    name,
    child,
    exited,
    kill: (signal = 'SIGKILL') => void child.kill(signal),
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
