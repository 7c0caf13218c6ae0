// `npm run bench`: in one run on one Temporal dev server and at one concurrency, the request
// lifecycle through the gateway against the raw engine, Manage Access at scale against Temporal
// visibility, and the worker's memory with 10,000 open request workflows. Reports; asserts nothing.
// Its last line is the lifecycle/raw throughput ratio.
import { cpus, loadavg, totalmem } from 'node:os';
import { cpuProfile } from './cpu';
import { Caller, signInAll } from './gateway';
import { runLifecycle } from './lifecycle';
import { measureManageAccess, seedScale, SCALE } from './manage-access';
import { runRawBaseline } from './raw/raw';
import { seedPeople } from './seed';
import { startBenchStack } from './stack';
import { ms, type Summary } from './stats';
import { measureVisibility } from './visibility';
import { measureWorkerMemory } from './worker-memory';

const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
};
const CONCURRENCY = int('BENCH_CONCURRENCY', 16);
const ITERATIONS = int('BENCH_ITERATIONS', 400);
const WARMUP = int('BENCH_WARMUP', 40);
const OPEN_WORKFLOWS = int('BENCH_OPEN_WORKFLOWS', 10_000);
const SAMPLES = int('BENCH_SAMPLES', 1000);
const VISIBILITY_SAMPLES = int('BENCH_VISIBILITY_SAMPLES', 200);
// The dev server starts ~100 executions a second on this machine: 100,000 would take a quarter of an hour.
const VISIBILITY_EXECUTIONS = int('BENCH_VISIBILITY_EXECUTIONS', 10_000);

const line = (label: string, s: Summary) => `${label.padEnd(44)} p50 ${ms(s.p50).padStart(9)}  p95 ${ms(s.p95).padStart(9)}  p99 ${ms(s.p99).padStart(9)}  (n=${s.count})`;

async function main(): Promise<void> {
  console.log(`Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}; load average ${loadavg()[0].toFixed(2)}; ${new Date().toISOString()}`);
  console.log(`Concurrency ${CONCURRENCY}, ${ITERATIONS} measured iterations per load phase (after ${WARMUP} to warm up).`);
  const stack = await startBenchStack();
  console.log(`Stack up: Temporal ${stack.temporal.address}, database ${stack.database.name}, SMTP sink :${stack.sink.port}, gateway ${stack.services.gatewayUrl} (logs in ${stack.logDir})`);
  try {
    const pids: Record<string, number> = { 'temporal dev server': stack.temporal.process.child.pid ?? 0, 'bench (clients, raw worker, SMTP sink)': process.pid };
    for (const [name, p] of stack.services.processes) pids[name] = p.child.pid ?? 0;
    const showCpu = (used: Record<string, number>, iterations: number) => {
      const total = Object.values(used).reduce((a, b) => a + b, 0);
      console.log(`  CPU per iteration, by process (${(total * 1000 / iterations).toFixed(1)} ms in all):`);
      for (const [name, s] of Object.entries(used).sort((a, b) => b[1] - a[1])) if (s > 0) console.log(`    ${name.padEnd(40)} ${((s * 1000) / iterations).toFixed(1).padStart(7)} ms  ${((100 * s) / total).toFixed(0).padStart(3)}%`);
    };
    let raw!: Awaited<ReturnType<typeof runRawBaseline>>;
    const rawCpu = await cpuProfile(pids, stack.database, async () => {
      raw = await runRawBaseline({
      address: stack.temporal.address,
      namespace: stack.temporal.namespace,
      client: stack.client,
      iterations: ITERATIONS,
      concurrency: CONCURRENCY,
      });
    });
    console.log(`\nRaw baseline (start + Update + complete of a trivial workflow): ${raw.load.throughput.toFixed(1)}/s`);
    console.log(line('  whole iteration', raw.load.latency));
    console.log(line('  Update round-trip', raw.update));
    showCpu(rawCpu, raw.load.latency.count + raw.warmup);

    const seeded = await seedPeople(stack.database.url, 'lc', { orgs: CONCURRENCY, requesters: WARMUP + ITERATIONS, firstIdentifier: 800_000_000 });
    const [officials, requesters] = await Promise.all([
      signInAll(stack.services.gatewayUrl, seeded.officials.map((u) => u.loginId)),
      signInAll(stack.services.gatewayUrl, seeded.requesters.map((u) => u.loginId)),
    ]);
    let lifecycle!: Awaited<ReturnType<typeof runLifecycle>>;
    const lifecycleCpu = await cpuProfile(pids, stack.database, async () => {
      lifecycle = await runLifecycle({
        sink: stack.sink,
        requesters,
        officials: officials.map((caller, k) => ({ caller, id: seeded.officials[k].id, organizationId: seeded.organizations[k] })),
        warmup: WARMUP,
        concurrency: CONCURRENCY,
      });
    });
    console.log(`\nLifecycle through the gateway (submit -> approve -> role granted -> both decision emails accepted by SMTP): ${lifecycle.load.throughput.toFixed(1)}/s`);
    console.log(line('  whole iteration', lifecycle.load.latency));
    console.log(line('  submit (POST /role-requests)', lifecycle.submit));
    console.log(line('  approve (POST /role-requests/{id}/approve)', lifecycle.approve));
    console.log(`  SMTP sink: ${stack.sink.total} messages accepted, ${stack.sink.duplicates} duplicates; ${Caller.retried503} calls answered 503 and were retried`);
    showCpu(lifecycleCpu, WARMUP + ITERATIONS);

    const memory = await measureWorkerMemory(stack, OPEN_WORKFLOWS);
    console.log(`\nWorker memory: ${memory.open} open request workflows (reconciled at the access-workflows boot, all waiting for a decision after ${memory.seconds.toFixed(0)} s)`);
    console.log(`  access-workflows RSS: ${memory.rssAtBootMiB.toFixed(0)} MiB at boot, ${memory.rssOpenMiB.toFixed(0)} MiB with them open, ${memory.rssPeakMiB.toFixed(0)} MiB peak`);

    const scale = await seedScale(stack.database.url);
    console.log(`\nScale data: ${SCALE.organizations} organizations, ${SCALE.users} users, ${SCALE.pending} pending requests seeded in ${scale.seedSeconds.toFixed(1)} s`);
    const manage = await measureManageAccess(stack.services.gatewayUrl, SAMPLES);
    console.log(`Manage Access through the gateway (GET /api/v1/manage-access, a Security Official of ${manage.organizations} organizations, ${manage.awaiting} requests awaiting them; ${SAMPLES} in sequence):`);
    console.log(line('  PostgreSQL (the product)', manage.latency));
    const visibility = await measureVisibility(stack.client, scale, { executions: VISIBILITY_EXECUTIONS, samples: VISIBILITY_SAMPLES, concurrency: 32 });
    console.log(`The same from Temporal visibility (${visibility.workflows} of the ${scale.pending.length} pending requests as Running executions, started in ${visibility.startSeconds.toFixed(0)} s; first page of 50 + count: ${visibility.awaiting} awaiting):`);
    console.log(line('  Temporal visibility', visibility.latency));

    const ratio = lifecycle.load.throughput / raw.load.throughput;
    const approveRatio = lifecycle.approve.p99 / raw.update.p99;
    const gib = memory.rssPeakMiB / 1024;
    console.log(`\nTargets (reported, not asserted):`);
    console.log(`  lifecycle throughput >= 0.7x raw: ${ratio.toFixed(2)}x ${ratio >= 0.7 ? 'MET' : 'MISSED'}`);
    console.log(`  approve p99 <= 1.5x raw Update p99: ${approveRatio.toFixed(2)}x ${approveRatio <= 1.5 ? 'MET' : 'MISSED'}`);
    console.log(`  manage-access p99 < 50 ms: ${ms(manage.latency.p99)} ${manage.latency.p99 < 50 ? 'MET' : 'MISSED'}`);
    console.log(`  worker RSS < 1 GiB with ${memory.open} open: peak ${gib.toFixed(2)} GiB ${gib < 1 ? 'MET' : 'MISSED'}`);
    console.log(`lifecycle/raw throughput ratio: ${ratio.toFixed(2)}`);
  } finally {
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
