import { readFileSync } from 'node:fs';
import { Client } from 'pg';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU seconds a process has used so far (Linux /proc), 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The PostgreSQL backends serving one database right now (asked from the server's maintenance database `serverUrl`, so the question is not counted as the product's SQL). */
export async function backendPids(serverUrl: string, database: string): Promise<number[]> {
  const db = new Client({ connectionString: serverUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    return rows.map((r) => r.pid);
  } finally {
    await db.end();
  }
}

/**
 * Where the CPU went while `work` ran: seconds per named process, and the sum over the database's
 * backends (sampled every half second, since pooled connections come and go). A coarse profile
 * that says which process to open with --cpu-prof.
 */
export async function cpuProfile(processes: Record<string, number>, database: { serverUrl: string; name: string }, work: () => Promise<void>): Promise<Record<string, number>> {
  const before = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuSeconds(pid)]));
  // Per backend: CPU when first seen (0 for one that connected during the work) and when last seen.
  const backends = new Map<number, { first: number; last: number }>();
  const sample = async (atStart: boolean) => {
    for (const pid of await backendPids(database.serverUrl, database.name)) {
      const now = cpuSeconds(pid);
      const seen = backends.get(pid);
      if (seen) seen.last = Math.max(seen.last, now);
      else backends.set(pid, { first: atStart ? now : 0, last: now });
    }
  };
  await sample(true);
  let sampling = Promise.resolve();
  const timer = setInterval(() => (sampling = sampling.then(() => sample(false)).catch(() => undefined)), 500);
  try {
    await work();
  } finally {
    clearInterval(timer);
    await sampling;
  }
  await sample(false);
  const used: Record<string, number> = {};
  for (const [name, pid] of Object.entries(processes)) used[name] = cpuSeconds(pid) - before[name];
  used['postgresql (this database)'] = [...backends.values()].reduce((sum, b) => sum + b.last - b.first, 0);
  return used;
}
