// BENCH_TOPOLOGY=production (issue 21, item 6): the lifecycle on the production rehearsal topology
// (libs/devstack rehearsal.ts: docker-compose.yml's parts as processes: Temporal server on its own
// PostgreSQL, NATS with TLS and credentials, MailDev, every service in NODE_ENV=production), with one
// instance of each service and with two, next to the dev-server stack's lifecycle phase in the same
// run, at the same concurrency and iterations.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { REPO_ROOT, startRehearsal, type Rehearsal } from '@am/devstack';
import { cpuProfile } from './cpu';
import { Caller, signInAll } from './gateway';
import { lifecyclePeople, runLifecycle, type LifecyclePeople, type LifecycleResult } from './lifecycle';
import { seedPeople } from './seed';
import { BENCH_SECRETS, startBenchStack } from './stack';
import { ms } from './stats';

/**
 * In all three runs each submit carries an Idempotency-Key and a 503 is retried (runLifecycle's
 * retrySubmit, as the campaign and webhook phases do): on 2 cores the production topology's gateway
 * now and then gives up on a submit after service-kit's 30 s RPC timeout, which would end the run.
 */
export interface ProductionOptions {
  concurrency: number;
  iterations: number;
  warmup: number;
}

/** What one topology measured: the lifecycle, and where the CPU went while it ran. */
interface Measured {
  label: string;
  lifecycle: LifecycleResult;
  retried503: number;
  cpu: CpuShare;
}

interface CpuShare {
  /** CPU seconds by process (summed over a service's instances), and the PostgreSQL backends of the services' database. */
  byProcess: Record<string, number>;
  /** The whole machine: busy CPU seconds and the seconds there were (cores x wall time). */
  machineBusy: number;
  machineCapacity: number;
}

/** The machine's busy and total CPU seconds so far (/proc/stat: every core, iowait counted idle). */
function machineCpu(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3] - fields[4], total };
}

/** The bench's own child processes (every part the rehearsal started is one), by pid, named by their command. */
function childProcesses(): Map<number, string> {
  const out = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const script = argv.find((a, k) => k > 0 && !a.startsWith('-'));
      out.set(Number(entry), basename(argv[0]) === 'node' && script ? basename(script.includes('maildev') ? 'maildev' : script) : basename(argv[0]));
    } catch {
      // gone since the listing
    }
  }
  return out;
}

/** Runs `work` and says where the CPU went: by process (cpu.ts), and the machine as a whole. */
async function profiled(processes: Record<string, number>, database: { serverUrl: string; name: string }, work: () => Promise<void>): Promise<CpuShare> {
  const before = machineCpu();
  const byPid = await cpuProfile(processes, database, work);
  const after = machineCpu();
  // A service's instances (api-gateway-1, api-gateway-2) summed.
  const byProcess: Record<string, number> = {};
  for (const [name, s] of Object.entries(byPid)) {
    const key = name.replace(/-\d+$/, '');
    byProcess[key] = (byProcess[key] ?? 0) + s;
  }
  // /proc/stat counts USER_HZ ticks (100 a second), as cpu.ts reads them.
  return { byProcess, machineBusy: (after.busy - before.busy) / 100, machineCapacity: (after.total - before.total) / 100 };
}

/**
 * MailDev's messages as runLifecycle's sink: MailDev's API is read every POLL_MS, each message's
 * X-Idempotency-Key taken as accepted then, and what was read deleted (so each read stays small).
 * An email is seen up to POLL_MS (plus MailDev's own handling) later than the bench's SMTP sink would see it.
 */
class MailDevSink {
  static readonly POLL_MS = 50;
  private readonly acceptedAt = new Map<string, number>();
  private readonly waiters = new Map<string, (at: number) => void>();
  private running = true;
  private readonly loop: Promise<void>;
  total = 0;

  constructor(private readonly webUrl: string) {
    this.loop = this.poll();
  }

  acceptance(key: string): Promise<number> {
    const at = this.acceptedAt.get(key);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve) => this.waiters.set(key, resolve));
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async poll(): Promise<void> {
    while (this.running) {
      const res = await fetch(`${this.webUrl}/api/email?limit=200`);
      if (!res.ok) throw new Error(`MailDev answered ${res.status}`);
      const messages = (await res.json()) as { id: string; headers: Record<string, string> }[];
      const at = performance.now();
      for (const m of messages) {
        this.total++;
        const key = Object.entries(m.headers).find(([k]) => k.toLowerCase() === 'x-idempotency-key')?.[1]?.trim();
        if (!key || this.acceptedAt.has(key)) continue;
        this.acceptedAt.set(key, at);
        this.waiters.get(key)?.(at);
        this.waiters.delete(key);
      }
      if (messages.length) {
        const del = await fetch(`${this.webUrl}/api/email/delete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids: messages.map((m) => m.id) }) });
        if (!del.ok) throw new Error(`MailDev answered ${del.status} to a delete`);
      }
      if (messages.length < 200) await new Promise((resolve) => setTimeout(resolve, MailDevSink.POLL_MS));
    }
  }
}

/** Users signed in on the production stack: sign-in and its code step both count against AUTH_RATE_LIMIT_PER_CLIENT (30 per address per 5 minutes). */
const SIGNED_IN_OFFICIALS = 6;
const SIGNED_IN_REQUESTERS = 8;

/**
 * The lifecycle's people on the production stack, with 14 sign-ins in all: 8 requesters each ask at
 * every organization (one request per organization each, as the open-loop phase does), and 6
 * Security Officials hold the organizations between them (organization k's, official k mod 6: the
 * seeded one-official-per-organization roles moved), each session spread over the gateways in turn.
 */
async function productionPeople(r: Rehearsal, total: number): Promise<LifecyclePeople> {
  const orgs = Math.ceil(total / SIGNED_IN_REQUESTERS);
  const seeded = await seedPeople(r.databaseUrl, 'prod', { orgs, requesters: SIGNED_IN_REQUESTERS, firstIdentifier: 880_000_000 });
  const holder = (k: number) => seeded.officials[k % SIGNED_IN_OFFICIALS];
  const db = new Client({ connectionString: r.databaseUrl });
  await db.connect();
  try {
    await db.query(`UPDATE role_assignments SET user_id = m.holder FROM unnest($1::uuid[], $2::uuid[]) AS m(org, holder) WHERE organization_id = m.org AND role = 'SECURITY_OFFICIAL'`, [
      seeded.organizations,
      seeded.organizations.map((_, k) => holder(k).id),
    ]);
  } finally {
    await db.end();
  }
  const [officials, requesters] = await Promise.all([
    signInAll(r.gatewayUrls[0], seeded.officials.slice(0, SIGNED_IN_OFFICIALS).map((u) => u.loginId)),
    signInAll(r.gatewayUrls[0], seeded.requesters.map((u) => u.loginId)),
  ]).then((lists) => lists.map((callers) => callers.map((c) => c.across(r.gatewayUrls))));
  return {
    // Iteration i asks at organization i mod orgs: requester floor(i / orgs) asks at each once.
    requesters: Array.from({ length: total }, (_, i) => requesters[Math.floor(i / orgs)]),
    officials: seeded.organizations.map((organizationId, k) => ({ caller: officials[k % SIGNED_IN_OFFICIALS], id: holder(k).id, organizationId })),
  };
}

async function measureDev(o: ProductionOptions): Promise<Measured> {
  const stack = await startBenchStack();
  try {
    const people = await lifecyclePeople(stack.services.gatewayUrl, stack.database.url, { tag: 'lc', concurrency: o.concurrency, iterations: o.warmup + o.iterations, firstIdentifier: 800_000_000 });
    const pids: Record<string, number> = { 'temporal dev server': stack.temporal.process.child.pid ?? 0, bench: process.pid };
    for (const [name, p] of stack.services.processes) pids[name] = p.child.pid ?? 0;
    const retried = Caller.retried503;
    let lifecycle!: LifecycleResult;
    const cpu = await profiled(pids, { serverUrl: stack.serverUrl, name: stack.database.name }, async () => {
      lifecycle = await runLifecycle({ ...people, sink: stack.sink, warmup: o.warmup, concurrency: o.concurrency, retrySubmit: true });
    });
    return { label: 'dev server', lifecycle, retried503: Caller.retried503 - retried, cpu };
  } finally {
    await stack.stop();
  }
}

async function measureProduction(o: ProductionOptions, instances: number, logRoot: string): Promise<Measured> {
  const r = await startRehearsal({ logDir: join(logRoot, `x${instances}`), instances, vars: { ...BENCH_SECRETS } });
  let sink: MailDevSink | undefined;
  try {
    console.log(`  production x${instances} up: gateways ${r.gatewayUrls.join(', ')}, Temporal ${r.temporalAddress} (logs in ${r.logDir})`);
    const people = await productionPeople(r, o.warmup + o.iterations);
    sink = new MailDevSink(r.mail.webUrl);
    const pids: Record<string, number> = { bench: process.pid };
    const instancePids = new Map([...r.instances.values()].map((i) => [i.process.child.pid ?? 0, i.name]));
    for (const [pid, command] of childProcesses()) pids[instancePids.get(pid) ?? command] = pid;
    const url = new URL(r.databaseUrl);
    const name = url.pathname.slice(1);
    url.pathname = '/postgres';
    const retried = Caller.retried503;
    let lifecycle!: LifecycleResult;
    const cpu = await profiled(pids, { serverUrl: url.toString(), name }, async () => {
      lifecycle = await runLifecycle({ ...people, sink: sink!, warmup: o.warmup, concurrency: o.concurrency, retrySubmit: true });
    });
    return { label: `production x${instances}`, lifecycle, retried503: Caller.retried503 - retried, cpu };
  } finally {
    await sink?.stop().catch(() => undefined);
    await r.stop();
  }
}

const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

/** The production-topology run: the dev server's lifecycle phase, then production with 1 instance of each service, then 2. */
export async function productionMain(o: ProductionOptions): Promise<void> {
  console.log(`BENCH_TOPOLOGY=production: the lifecycle (submit -> approve -> both decision emails), closed loop at ${o.concurrency}, ${o.iterations} measured iterations after ${o.warmup}, on the dev-server stack, then the production rehearsal topology with 1 and 2 instances of each service.`);
  const logRoot = join(REPO_ROOT, '.data', 'bench-logs', `production-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const runs: Measured[] = [];
  runs.push(await measureDev(o));
  console.log(`  dev server: ${runs[0].lifecycle.load.throughput.toFixed(2)}/s`);
  for (const instances of [1, 2]) {
    runs.push(await measureProduction(o, instances, logRoot));
    console.log(`  production x${instances}: ${runs[runs.length - 1].lifecycle.load.throughput.toFixed(2)}/s`);
  }
  const [dev, one, two] = runs;
  console.log(`\nLifecycle, closed loop at ${o.concurrency} (${o.iterations} measured iterations after ${o.warmup}):`);
  console.log(`  ${'topology'.padEnd(16)} ${'lifecycles/s'.padStart(12)} ${'approve p50'.padStart(12)} ${'p95'.padStart(10)} ${'p99'.padStart(10)} ${'iteration p50'.padStart(14)} ${'503 retried'.padStart(11)}`);
  for (const m of runs) {
    const l = m.lifecycle;
    console.log(
      `  ${m.label.padEnd(16)} ${l.load.throughput.toFixed(2).padStart(12)} ${ms(l.approve.p50).padStart(12)} ${ms(l.approve.p95).padStart(10)} ${ms(l.approve.p99).padStart(10)} ${ms(l.load.latency.p50).padStart(14)} ${String(m.retried503).padStart(11)}`,
    );
  }
  const ratios = (label: string, a: Measured, b: Measured) =>
    console.log(
      `  ${label.padEnd(30)} throughput ${x(a.lifecycle.load.throughput, b.lifecycle.load.throughput)}; approve p50 ${x(a.lifecycle.approve.p50, b.lifecycle.approve.p50)}, p95 ${x(a.lifecycle.approve.p95, b.lifecycle.approve.p95)}, p99 ${x(a.lifecycle.approve.p99, b.lifecycle.approve.p99)}`,
    );
  console.log('Ratios:');
  ratios('production x2 / production x1', two, one);
  ratios('production x1 / dev server', one, dev);
  ratios('production x2 / dev server', two, dev);
  for (const m of runs) {
    const total = Object.values(m.cpu.byProcess).reduce((a, b) => a + b, 0);
    const n = o.warmup + o.iterations;
    console.log(
      `\nCPU while ${m.label} ran (${n} iterations): the machine ${((100 * m.cpu.machineBusy) / m.cpu.machineCapacity).toFixed(0)}% busy (${m.cpu.machineBusy.toFixed(0)} of ${m.cpu.machineCapacity.toFixed(0)} CPU-seconds); the stack's processes ${((1000 * total) / n).toFixed(1)} ms per lifecycle:`,
    );
    for (const [name, s] of Object.entries(m.cpu.byProcess).sort((a, b) => b[1] - a[1])) if (s > 0) console.log(`    ${name.padEnd(36)} ${((1000 * s) / n).toFixed(1).padStart(7)} ms  ${((100 * s) / m.cpu.machineBusy).toFixed(0).padStart(3)}% of the busy CPU`);
    console.log(`    ${'everything else on the machine'.padEnd(36)} ${((1000 * (m.cpu.machineBusy - total)) / n).toFixed(1).padStart(7)} ms  ${((100 * (m.cpu.machineBusy - total)) / m.cpu.machineBusy).toFixed(0).padStart(3)}%`);
  }
  console.log(`production x2 / x1 throughput ratio: ${(two.lifecycle.load.throughput / one.lifecycle.load.throughput).toFixed(2)}`);
}
