// `npm run bench`: in one run on one Temporal dev server and at one concurrency, the request
// lifecycle through the gateway against the raw engine (closed loop, and an open loop at a fixed
// rate), what one lifecycle costs in workflow tasks, activity tasks, SQL statements and internal
// RPCs, Manage Access at scale against Temporal visibility, the worker's memory with 10,000
// open request workflows, and outbound webhooks (delivery latency; the lifecycle with 10 subscribers,
// one always failing, against none). Reports; asserts nothing. Its last line is the lifecycle/raw throughput ratio.
import { cpus, loadavg, totalmem } from 'node:os';
import { countHistories, readRpcCounts, rpcDelta, SqlCounter, startedBetween, type HistoryCounts, type RpcDelta, type SqlDelta, type SqlSnapshot } from './counters';
import { measureBulk, type BulkMode, type BulkRound } from './bulk';
import { eligibleOrganizations, runCampaign, seedReviewedOrganizations, signInHelpDesk, type CampaignResult } from './campaign';
import { cpuProfile } from './cpu';
import { Caller, signInAll } from './gateway';
import { lifecyclePeople, runLifecycle } from './lifecycle';
import { measureManageAccess, seedScale, SCALE } from './manage-access';
import { prepareOpenLoopApprovals } from './open-loop';
import { productionMain } from './production';
import { RAW_WORKFLOW_TYPE, RawEngine, type RawResult } from './raw/raw';
import { seedPeople } from './seed';
import { startBenchStack } from './stack';
import { measureSteps, type StepCounts } from './steps';
import { ms, summarize, type OpenLoopResult, type Summary } from './stats';
import { measureVisibility } from './visibility';
import { measureWebhooks, type WebhookPhase } from './webhooks';
import { measureWorkerMemory, rssMiB } from './worker-memory';

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
const positive = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
};
// The open-loop phase: approvals (and raw Updates) arriving at this rate, below saturation, for this long.
const OPEN_LOOP_RATE = positive('BENCH_OPEN_LOOP_RATE', 10);
const OPEN_LOOP_SECONDS = positive('BENCH_OPEN_LOOP_SECONDS', 30);
// Requests run one at a time after the lifecycle phase, to split its counts between submit and approve.
const STEP_SAMPLES = int('BENCH_STEP_SAMPLES', 20);
// The bulk phase (issue 17): this many approvals in one call, one after another, and at the concurrency; this many rounds.
const BULK_SIZE = int('BENCH_BULK_SIZE', 100);
const BULK_ROUNDS = int('BENCH_BULK_ROUNDS', 3);
// The access review campaign phase (issue 18): a campaign over at least this many organizations (seeded to make up the
// number), timed alone (unless BENCH_CAMPAIGN_SOLO=0), then a second one over as many fresh organizations while the
// lifecycle runs, against the lifecycle alone.
const CAMPAIGN_ORGS = int('BENCH_CAMPAIGN_ORGS', 10_000);
const CAMPAIGN_SOLO = process.env.BENCH_CAMPAIGN_SOLO !== '0';
const CAMPAIGN_TIMEOUT_SECONDS = int('BENCH_CAMPAIGN_TIMEOUT_SECONDS', 3600);
const CAMPAIGN_SETTLE_SECONDS = int('BENCH_CAMPAIGN_SETTLE_SECONDS', 10);
// In this phase a lifecycle step may wait behind a campaign's backlog: it fails the run only after this long.
const CAMPAIGN_STEP_TIMEOUT_SECONDS = int('BENCH_CAMPAIGN_STEP_TIMEOUT_SECONDS', 1800);
// The webhooks phase (issue 20): this many decisions, one at a time, timed to the subscriber's 200 (after 5 to warm
// up); a delivery not answered within BENCH_WEBHOOK_SETTLE_SECONDS fails the run.
const WEBHOOK_SAMPLES = int('BENCH_WEBHOOK_SAMPLES', 200);
const WEBHOOK_SETTLE_SECONDS = int('BENCH_WEBHOOK_SETTLE_SECONDS', 300);
// BENCH_ONLY=bulk (or campaign, or webhooks) runs that phase alone (after the stack is up).
const ONLY = process.env.BENCH_ONLY;

/** The bulk phase's report: each mode's median over the rounds, and the bulk call against the others. */
async function bulkPhase(stack: Awaited<ReturnType<typeof startBenchStack>>): Promise<void> {
  const rounds = await measureBulk({ gatewayUrl: stack.services.gatewayUrl, databaseUrl: stack.database.url, sink: stack.sink, size: BULK_SIZE, rounds: BULK_ROUNDS, concurrency: CONCURRENCY });
  const median = (mode: BulkMode, key: keyof Omit<BulkRound, 'mode'>) => {
    const v = rounds.filter((r) => r.mode === mode).map((r) => r[key]).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)];
  };
  console.log(
    `\nBulk decisions: ${BULK_SIZE} pending requests approved (fresh ones each time; median of ${BULK_ROUNDS} rounds; until the last 200 / until every decision email is accepted; BULK_DECISION_CONCURRENCY ${process.env.BULK_DECISION_CONCURRENCY ?? 'default (16)'}):`,
  );
  for (const mode of ['one bulk call', 'one after another', 'at the bench concurrency'] as const) {
    const label = mode === 'one bulk call' ? '  POST /role-requests/decisions (1 call)' : mode === 'one after another' ? `  ${BULK_SIZE} approve calls, one after another` : `  ${BULK_SIZE} approve calls, ${CONCURRENCY} at a time`;
    console.log(`${label.padEnd(44)} ${ms(median(mode, 'decidedMs')).padStart(11)}  (${ms(median(mode, 'decidedMs') / BULK_SIZE)} a request)   emails ${ms(median(mode, 'toldMs')).padStart(11)}`);
  }
  const bulk = median('one bulk call', 'decidedMs');
  console.log(`  one bulk call / one after another     ${ratio(bulk, median('one after another', 'decidedMs')).padStart(7)}`);
  console.log(`  one bulk call / ${String(CONCURRENCY).padEnd(2)} at a time         ${ratio(bulk, median('at the bench concurrency', 'decidedMs')).padStart(7)}`);
}

/** The webhooks phase's report (issue 20, item 7). */
async function webhookPhase(stack: Awaited<ReturnType<typeof startBenchStack>>): Promise<WebhookPhase> {
  const settings = ['WEBHOOK_RETRY_INITIAL', 'WEBHOOK_RETRY_MAX_INTERVAL', 'WEBHOOK_RETRY_FOR', 'WEBHOOK_TIMEOUT', 'WEBHOOK_DISABLE_AFTER'].map((k) => `${k} ${process.env[k] ?? 'default'}`).join(', ');
  console.log(`\nOutbound webhooks (issue 20; ${settings}; the directory restarted with NODE_ENV=development, WEBHOOK_ALLOW_PRIVATE=true):`);
  const w = await measureWebhooks(stack, {
    samples: WEBHOOK_SAMPLES,
    warmup: WARMUP,
    iterations: ITERATIONS,
    concurrency: CONCURRENCY,
    settleTimeoutMs: WEBHOOK_SETTLE_SECONDS * 1000,
    stepTimeoutMs: CAMPAIGN_STEP_TIMEOUT_SECONDS * 1000,
    onLatency: (l) => {
      console.log(`  Delivery latency, one subscriber to role-request.decided, ${l.latency.count} decisions one at a time (from the approve call's 200 to the endpoint's 200):`);
      console.log(`${line('    approve answered -> endpoint answered', l.latency)}  max ${ms(l.latency.max)}`);
      if (l.beforeAnswer) console.log(`    (${l.beforeAnswer} of them reached the endpoint before the approve call's answer reached the bench: negative latencies)`);
    },
  });
  const tp = (r: typeof w.alone, retried: number) =>
    `${r.load.throughput.toFixed(1).padStart(6)}/s   (whole iteration p50 ${ms(r.load.latency.p50)}, p99 ${ms(r.load.latency.p99)}; approve p50 ${ms(r.approve.p50)}, p99 ${ms(r.approve.p99)}; submit p99 ${ms(r.submit.p99)}; ${retried} calls answered 503 and retried)`;
  console.log(`  Lifecycle (submit -> approve -> both decision emails), closed loop at ${CONCURRENCY}, ${ITERATIONS} measured iterations per run:`);
  console.log(`    no subscriptions                                   ${tp(w.alone, w.retried503.alone)}`);
  console.log(`    10 subscribers to every role-request event, 1 always 500   ${tp(w.withSubscribers, w.retried503.withSubscribers)}`);
  console.log(`    no subscriptions again (the 10 deleted)            ${tp(w.aloneAfter, w.retried503.aloneAfter)}`);
  console.log(`    with subscribers / without (mean of both runs)  ${ratio(w.withSubscribers.load.throughput, (w.alone.load.throughput + w.aloneAfter.load.throughput) / 2).padStart(7)}`);
  console.log(line('    delivery latency under that load (1 healthy)', w.loadedLatency) + `  max ${ms(w.loadedLatency.max)}`);
  console.log(
    `    the 9 healthy endpoints: ${w.healthy.byEnd} of ${w.healthy.expected} deliveries (measured submissions and decisions) answered 2xx when the run ended, the last ${(w.healthy.settledMs / 1000).toFixed(1)} s after it; ${w.healthy.duplicates} duplicates`,
  );
  console.log(`    the always-failing endpoint received ${w.failingAttempts} attempts (answered 500) during the phase`);
  return w;
}

interface CampaignPhase {
  solo?: CampaignResult;
  concurrent: CampaignResult;
  alone: Awaited<ReturnType<typeof runLifecycle>>;
  withCampaign: Awaited<ReturnType<typeof runLifecycle>>;
  /** Calls answered 503 and retried, in the lifecycle alone and with the campaign. */
  retried: { alone: number; withCampaign: number };
  /** The lifecycle's measured iterations that ended while the campaign was starting, and their rate. */
  overlap: { iterations: number; seconds: number; throughput: number; latency: Summary; coveredShare: number };
}

/**
 * The access review campaign phase (issue 18, part 5). The worker host restarts (a fresh process);
 * the help desk signs in; the lifecycle's people for both of its runs are seeded. Then, with
 * BENCH_CAMPAIGN_SOLO: organizations are seeded (one Security Official and one Staff User each) to
 * make up BENCH_CAMPAIGN_ORGS, and a campaign over all of them is started and timed alone, profiled.
 * Then as many fresh organizations are seeded, the lifecycle runs alone, and runs again (same
 * counts, other people) with a second campaign started as its measured iterations begin: that
 * campaign reviews only the fresh organizations (the others have a review open).
 */
async function campaignPhase(stack: Awaited<ReturnType<typeof startBenchStack>>): Promise<CampaignPhase> {
  const url = stack.database.url;
  await stack.services.restart('access-workflows');
  const aw = stack.services.processes.get('access-workflows')?.child.pid ?? 0;
  console.log(
    `\nAccess review campaigns (issue 18; ACCESS_REVIEW_OPEN_RATE ${process.env.ACCESS_REVIEW_OPEN_RATE ?? 'default (2/s)'}, ACCESS_REVIEW_START_CONCURRENCY ${process.env.ACCESS_REVIEW_START_CONCURRENCY ?? 'default (32)'}): access-workflows restarted, RSS ${rssMiB(aw).toFixed(0)} MiB at boot`,
  );
  const helpDesk = await signInHelpDesk(stack);
  const people = [];
  for (const [k, tag] of ['ca', 'cb'].entries()) people.push(await seedPeople(url, tag, { orgs: CONCURRENCY, requesters: WARMUP + ITERATIONS, firstIdentifier: 850_000_000 + k * 10_000_000 }));
  const callers = await Promise.all(
    people.map(async (p) => {
      const [officials, requesters] = await Promise.all([signInAll(stack.services.gatewayUrl, p.officials.map((u) => u.loginId)), signInAll(stack.services.gatewayUrl, p.requesters.map((u) => u.loginId))]);
      return { requesters, officials: officials.map((caller, k) => ({ caller, id: p.officials[k].id, organizationId: p.organizations[k] })) };
    }),
  );
  const options = { timeoutSeconds: CAMPAIGN_TIMEOUT_SECONDS, settleSeconds: CAMPAIGN_SETTLE_SECONDS, emailGraceSeconds: 60, viewSamples: 20 };
  const topUp = async (tag: string, firstIdentifier: number) => {
    const have = await eligibleOrganizations(url);
    const n = Math.max(0, CAMPAIGN_ORGS - have);
    const { seconds } = await seedReviewedOrganizations(url, tag, n, firstIdentifier);
    console.log(`  ${have} organizations without an open review had connected users; ${n} seeded (a Security Official and a Staff User each) in ${seconds.toFixed(1)} s`);
  };
  let solo: CampaignResult | undefined;
  if (CAMPAIGN_SOLO) {
    await topUp('cra', 700_000_000);
    solo = await runCampaign(stack, helpDesk, { ...options, profile: true });
    printCampaign('Campaign alone', solo);
  }
  await topUp('crb', 730_000_000);
  // Both runs retry a call answered 503 (the gateway's call to a service timed out) until the step's own timeout, so that a
  // backlog shows as time, not as a failed run; the retries are counted.
  const retriedBefore = Caller.retried503;
  const maxRetries503 = Caller.maxRetries503;
  Caller.maxRetries503 = 1000;
  const lifecycleOptions = { sink: stack.sink, warmup: WARMUP, concurrency: CONCURRENCY, retrySubmit: true, stepTimeoutMs: CAMPAIGN_STEP_TIMEOUT_SECONDS * 1000 };
  const alone = await runLifecycle({ ...lifecycleOptions, ...callers[0] });
  const retriedAlone = Caller.retried503 - retriedBefore;
  let campaign: Promise<CampaignResult> | undefined;
  const iterations: [number, number][] = [];
  // A paced campaign (ACCESS_REVIEW_OPEN_RATE) outlasts the lifecycle run: the bench watches it until the run ends.
  let lifecycleDone = false;
  const withCampaign = await runLifecycle({
    ...lifecycleOptions,
    ...callers[1],
    beforeMeasured: async () => {
      campaign = runCampaign(stack, helpDesk, { ...options, profile: false, stopWatching: () => lifecycleDone });
      campaign.catch(() => undefined);
    },
    onMeasured: (began, ended) => iterations.push([began, ended]),
  });
  lifecycleDone = true;
  if (!campaign) throw new Error('the campaign did not start');
  const retriedWith = Caller.retried503 - retriedBefore - retriedAlone;
  Caller.maxRetries503 = maxRetries503;
  const concurrent = await campaign;
  printCampaign('Campaign started with the lifecycle running', concurrent);
  const lastEnded = Math.max(...iterations.map(([, e]) => e));
  const windowEnd = Math.min(concurrent.doneAt, lastEnded);
  // The measured iterations that ended between the POST and the end of the campaign's start (or of the lifecycle run).
  const inside = iterations.filter(([, e]) => e >= concurrent.sentAt && e <= windowEnd);
  const seconds = (windowEnd - concurrent.sentAt) / 1000;
  const firstBegan = Math.min(...iterations.map(([b]) => b));
  return {
    solo,
    concurrent,
    alone,
    withCampaign,
    retried: { alone: retriedAlone, withCampaign: retriedWith },
    overlap: {
      iterations: inside.length,
      seconds,
      throughput: inside.length / seconds,
      latency: summarize(inside.map(([b, e]) => e - b)),
      coveredShare: Math.max(0, windowEnd - Math.max(firstBegan, concurrent.sentAt)) / (lastEnded - firstBegan),
    },
  };
}

const s1 = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? 'n/a' : `${(v / 1000).toFixed(1)} s`);

function printCampaign(label: string, c: CampaignResult): void {
  console.log(`  ${label}: ${c.reviews} reviews (${c.eligible} organizations expected), ${c.items} users under review; campaign ${c.campaignId}`);
  console.log(`    POST /api/v1/access-reviews until its 201          ${ms(c.postMs).padStart(12)}`);
  if (c.stopped) {
    // Paced (ACCESS_REVIEW_OPEN_RATE): the lifecycle run ended first; the rest open at the same pace after it. Visibility
    // counts each start; the campaign's status Query counts whole pages (500) only.
    const rate = c.stopped.openedByVisibility / (c.stopped.atMs / 1000);
    console.log(
      `    review workflows open when the lifecycle run ended   ${c.stopped.openedByVisibility} of ${c.reviews} in visibility (${c.stopped.openedByQuery} by the status Query, which counts whole pages) after ${s1(c.stopped.atMs)}: ${rate.toFixed(2)} reviews/s; at that pace every review is open ${s1((c.reviews / rate) * 1000)} after the POST`,
    );
  }
  console.log(`    every review workflow open (campaign status Query)  ${s1(c.openedByQueryMs).padStart(12)}   (${(c.reviews / (c.openedByQueryMs / 1000)).toFixed(0)} reviews/s from the POST)`);
  console.log(`    every review workflow open (visibility count)       ${s1(c.openedByVisibilityMs).padStart(12)}`);
  console.log(`    every "opened" email accepted by SMTP               ${s1(c.emailsMs).padStart(12)}   (${c.emailsSeen} of ${c.emailsExpected} expected)`);
  console.log(
    `    access-workflows RSS: ${c.rss.beforeMiB.toFixed(0)} MiB before, ${c.rss.peakMiB.toFixed(0)} MiB peak (${s1(c.rss.peakAtMs)} after the POST), ${c.rss.afterMiB.toFixed(0)} MiB after (${CAMPAIGN_SETTLE_SECONDS} s after the last email)`,
  );
  console.log(`    other processes, RSS before -> peak: ${Object.entries(c.rss.othersPeakMiB).map(([n, v]) => `${n} ${c.rss.othersBeforeMiB[n].toFixed(0)} -> ${v.toFixed(0)} MiB`).join(', ')}`);
  console.log(`    GET /api/v1/access-reviews/{campaignId} (help desk): kind ${c.view.kind}, reviews ${c.view.completed}/${c.view.total} completed; p50 ${ms(c.view.latency.p50)}, max ${ms(c.view.latency.max)} (n=${c.view.latency.count})`);
  if (c.cpu) {
    const total = Object.values(c.cpu).reduce((a, b) => a + b, 0);
    console.log(`    CPU per review, by process (${((total * 1000) / c.reviews).toFixed(1)} ms in all, ${total.toFixed(0)} s):`);
    for (const [name, v] of Object.entries(c.cpu).sort((a, b) => b[1] - a[1])) if (v > 0) console.log(`      ${name.padEnd(40)} ${((v * 1000) / c.reviews).toFixed(2).padStart(8)} ms  ${((100 * v) / total).toFixed(0).padStart(3)}%`);
  }
}

/** The lifecycle alone against the lifecycle while a campaign starts; returns the throughput ratio (with / alone). */
function printCampaignLifecycle(p: CampaignPhase): number {
  const { alone, withCampaign: w, overlap, concurrent } = p;
  console.log(`\n  Lifecycle alone against the lifecycle while a campaign of ${concurrent.reviews} reviews starts (${ITERATIONS} measured iterations after ${WARMUP}, concurrency ${CONCURRENCY}, each run with its own people):`);
  console.log(`    alone                  ${alone.load.throughput.toFixed(2).padStart(6)}/s  ${line('', alone.load.latency).trim()}  ${p.retried.alone} calls retried after a 503 (${alone.resubmittedAsDuplicate} submits then refused as duplicates of their first attempt)`);
  console.log(`    with the campaign      ${w.load.throughput.toFixed(2).padStart(6)}/s  ${line('', w.load.latency).trim()}  ${p.retried.withCampaign} calls retried after a 503 (${w.resubmittedAsDuplicate} submits then refused as duplicates of their first attempt)`);
  console.log(`      approve: alone p50 ${ms(alone.approve.p50)}, with ${ms(w.approve.p50)}; submit: alone p50 ${ms(alone.submit.p50)}, with ${ms(w.submit.p50)}`);
  console.log(
    `    while the campaign was starting (POST to last email; ${(100 * overlap.coveredShare).toFixed(0)}% of the measured run): ${overlap.iterations} iterations in ${overlap.seconds.toFixed(1)} s, ${overlap.throughput.toFixed(2)}/s, iteration p50 ${ms(overlap.latency.p50)}`,
  );
  const whole = w.load.throughput / alone.load.throughput;
  const during = overlap.throughput / alone.load.throughput;
  console.log(`    throughput with / alone: ${whole.toFixed(2)}x over the whole run, ${during.toFixed(2)}x while the campaign was starting; iteration p50 with / alone ${ratio(w.load.latency.p50, alone.load.latency.p50)}`);
  const worst = Math.min(whole, overlap.iterations >= 10 ? during : whole);
  console.log(`    target (issue 18): at most 20% slower (throughput >= 0.83x alone): ${worst.toFixed(2)}x ${worst >= 0.83 ? 'MET' : 'MISSED'}`);
  return worst;
}

const line = (label: string, s: Summary) => `${label.padEnd(44)} p50 ${ms(s.p50).padStart(9)}  p95 ${ms(s.p95).padStart(9)}  p99 ${ms(s.p99).padStart(9)}  (n=${s.count})`;
const openLine = (label: string, r: OpenLoopResult) =>
  `${label.padEnd(44)} p50 ${ms(r.latency.p50).padStart(9)}  p99 ${ms(r.latency.p99).padStart(9)}  max ${ms(r.latency.max).padStart(9)}  (n=${r.latency.count}, sent at ${r.sentRate.toFixed(2)}/s, at most ${r.maxInFlight} in flight, send lag <= ${r.maxSendLagMs.toFixed(0)} ms)`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const per = (n: number, iterations: number) => (n / iterations).toFixed(2);

/** The counts per iteration, printed so that a regression in any of them shows. */
function showCounts(label: string, iterations: number, h: HistoryCounts, sql?: SqlDelta, rpc?: RpcDelta): void {
  console.log(`  ${label}, averaged over ${iterations} measured iterations:`);
  console.log(`    workflow tasks     ${per(h.workflowTasks, iterations).padStart(7)}   (WorkflowTaskCompleted events)`);
  console.log(`    activity tasks     ${per(h.activityTasks, iterations).padStart(7)}   (ActivityTaskScheduled events)`);
  console.log(`    history events     ${per(h.events, iterations).padStart(7)}   in ${per(h.workflows, iterations)} workflow executions`);
  if (sql) {
    if (sql.statements === undefined) console.log(`    SQL statements         n/a   (${'statements not counted'})`);
    else console.log(`    SQL statements     ${per(sql.statements, iterations).padStart(7)}   (pg_stat_statements calls; ${per(sql.transactionControl ?? 0, iterations)} of them BEGIN/COMMIT/ROLLBACK/SAVEPOINT)`);
    console.log(`    SQL transactions   ${per(sql.transactions, iterations).padStart(7)}   (pg_stat_database xact_commit + xact_rollback)`);
  }
  if (rpc) {
    const by = (o: Record<string, number>) => Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${per(n, iterations)}`).join(', ');
    console.log(`    internal RPCs      ${per(rpc.total, iterations).padStart(7)}   (service-kit call()); sent by ${by(rpc.byService) || 'none'}`);
    console.log(`      by pattern: ${by(rpc.byPattern) || 'none'}`);
  }
  if (sql?.top?.length) {
    console.log('    SQL statements run most, per iteration:');
    for (const t of sql.top) console.log(`      ${per(t.calls, iterations).padStart(6)}  ${t.query.replace(/\s+/g, ' ').slice(0, 110)}`);
  }
}

async function main(): Promise<void> {
  console.log(`Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}; load average ${loadavg()[0].toFixed(2)}; ${new Date().toISOString()}`);
  // BENCH_TOPOLOGY=production (issue 21): the lifecycle alone, on the dev server and on the production topology (production.ts).
  if (process.env.BENCH_TOPOLOGY === 'production') return productionMain({ concurrency: CONCURRENCY, iterations: ITERATIONS, warmup: WARMUP });
  if (process.env.BENCH_TOPOLOGY) throw new Error(`BENCH_TOPOLOGY must be unset or production, not ${process.env.BENCH_TOPOLOGY}`);
  console.log(`Concurrency ${CONCURRENCY}, ${ITERATIONS} measured iterations per load phase (after ${WARMUP} to warm up); open loop at ${OPEN_LOOP_RATE}/s for ${OPEN_LOOP_SECONDS} s.`);
  const stack = await startBenchStack();
  console.log(`Stack up: Temporal ${stack.temporal.address}, database ${stack.database.name} on ${stack.databaseServer}, SMTP sink :${stack.sink.port}, gateway ${stack.services.gatewayUrl} (logs in ${stack.logDir})`);
  if (stack.sql.unavailable) console.log(`  SQL statements will not be counted: ${stack.sql.unavailable} (transactions are)`);
  try {
    const pids: Record<string, number> = { 'temporal dev server': stack.temporal.process.child.pid ?? 0, 'bench (clients, raw worker, SMTP sink)': process.pid };
    for (const [name, p] of stack.services.processes) pids[name] = p.child.pid ?? 0;
    const servicePids = () => new Map([...stack.services.processes].map(([name, p]) => [name as string, p.child.pid ?? 0]));
    const showCpu = (used: Record<string, number>, iterations: number) => {
      const total = Object.values(used).reduce((a, b) => a + b, 0);
      console.log(`  CPU per iteration, by process (${(total * 1000 / iterations).toFixed(1)} ms in all):`);
      for (const [name, s] of Object.entries(used).sort((a, b) => b[1] - a[1])) if (s > 0) console.log(`    ${name.padEnd(40)} ${((s * 1000) / iterations).toFixed(1).padStart(7)} ms  ${((100 * s) / total).toFixed(0).padStart(3)}%`);
    };
    const db = { serverUrl: stack.serverUrl, name: stack.database.name };
    if (ONLY === 'bulk') return await bulkPhase(stack);
    if (ONLY === 'campaign') {
      printCampaignLifecycle(await campaignPhase(stack));
      return;
    }
    if (ONLY === 'webhooks') {
      const w = await webhookPhase(stack);
      console.log(`webhooks lifecycle ratio: ${w.ratio.toFixed(2)}`);
      return;
    }
    const openCount = Math.max(1, Math.round(OPEN_LOOP_RATE * OPEN_LOOP_SECONDS));

    // ---- the raw engine: closed loop, then open loop ----
    const engine = await RawEngine.start({ address: stack.temporal.address, namespace: stack.temporal.namespace, client: stack.client });
    let raw!: RawResult;
    let rawOpen!: OpenLoopResult;
    let rawCounts!: HistoryCounts;
    try {
      const rawCpu = await cpuProfile(pids, db, async () => {
        raw = await engine.closedLoop(ITERATIONS, CONCURRENCY);
      });
      rawCounts = await countHistories(stack.client, `WorkflowType = '${RAW_WORKFLOW_TYPE}' AND ${startedBetween(raw.window.from, raw.window.to)}`, { expectAtLeast: ITERATIONS });
      console.log(`\nRaw baseline (start + Update + complete of a trivial workflow, closed loop): ${raw.load.throughput.toFixed(1)}/s`);
      console.log(line('  whole iteration', raw.load.latency));
      console.log(line('  start (workflow.start)', raw.start));
      console.log(line('  Update round-trip', raw.update));
      showCounts('Per raw iteration', ITERATIONS, rawCounts);
      showCpu(rawCpu, raw.load.latency.count + raw.warmup);
    } finally {
      await engine.stop();
    }

    // ---- the lifecycle through the gateway, with its counts ----
    const { requesters, officials: lcOfficials } = await lifecyclePeople(stack.services.gatewayUrl, stack.database.url, { tag: 'lc', concurrency: CONCURRENCY, iterations: WARMUP + ITERATIONS, firstIdentifier: 800_000_000 });
    let lifecycle!: Awaited<ReturnType<typeof runLifecycle>>;
    let rpcBefore!: Map<string, Record<string, number>>;
    let sqlBefore!: SqlSnapshot;
    const lifecycleCpu = await cpuProfile(pids, db, async () => {
      lifecycle = await runLifecycle({
        sink: stack.sink,
        requesters,
        officials: lcOfficials,
        warmup: WARMUP,
        concurrency: CONCURRENCY,
        beforeMeasured: async () => {
          [rpcBefore, sqlBefore] = await Promise.all([readRpcCounts(stack.countersDir, servicePids()), stack.sql.snapshot()]);
        },
      });
    });
    // After every workflow the measured lifecycles started has closed (their last tasks included).
    const lifecycleCounts = await countHistories(stack.client, `WorkflowType != '${RAW_WORKFLOW_TYPE}' AND ${startedBetween(lifecycle.window.from, lifecycle.window.to)}`, { expectAtLeast: ITERATIONS });
    const rpc = rpcDelta(rpcBefore, await readRpcCounts(stack.countersDir, servicePids()));
    const sql = SqlCounter.delta(sqlBefore, await stack.sql.snapshot(true));
    console.log(`\nLifecycle through the gateway (submit -> approve -> role granted -> both decision emails accepted by SMTP): ${lifecycle.load.throughput.toFixed(1)}/s`);
    console.log(line('  whole iteration', lifecycle.load.latency));
    console.log(line('  submit (POST /role-requests)', lifecycle.submit));
    console.log(line('  approve (POST /role-requests/{id}/approve)', lifecycle.approve));
    console.log(`  SMTP sink: ${stack.sink.total} messages accepted, ${stack.sink.duplicates} duplicates; ${Caller.retried503} calls answered 503 and were retried`);
    showCounts('Per lifecycle (one submit + approve + emails)', ITERATIONS, lifecycleCounts, sql, rpc);
    showCpu(lifecycleCpu, WARMUP + ITERATIONS);

    console.log(`\nAgainst the raw engine (same run, same dev server, concurrency ${CONCURRENCY}):`);
    console.log(`  approve p50 / raw Update p50         ${ratio(lifecycle.approve.p50, raw.update.p50).padStart(7)}   (${ms(lifecycle.approve.p50)} / ${ms(raw.update.p50)})`);
    console.log(`  approve p95 / raw Update p95         ${ratio(lifecycle.approve.p95, raw.update.p95).padStart(7)}   (${ms(lifecycle.approve.p95)} / ${ms(raw.update.p95)})`);
    console.log(`  submit p50 / raw start p50           ${ratio(lifecycle.submit.p50, raw.start.p50).padStart(7)}   (${ms(lifecycle.submit.p50)} / ${ms(raw.start.p50)})`);
    console.log(`  lifecycle / raw throughput           ${ratio(lifecycle.load.throughput, raw.load.throughput).padStart(7)}   (${lifecycle.load.throughput.toFixed(1)}/s / ${raw.load.throughput.toFixed(1)}/s)`);

    // ---- the same counts split by step, one request at a time ----
    const steps = await measureSteps({
      client: stack.client,
      sink: stack.sink,
      sql: stack.sql,
      countersDir: stack.countersDir,
      servicePids,
      samples: Math.min(STEP_SAMPLES, requesters.length),
      requesters,
      // Each requester asks at the next organization (it holds a role at its own since the lifecycle phase).
      officials: [...lcOfficials.slice(1), lcOfficials[0]],
    });
    const stepLine = (label: string, c: StepCounts) =>
      `    ${label.padEnd(9)} ${per(c.workflowTasks, steps.samples).padStart(8)} ${per(c.activityTasks, steps.samples).padStart(9)} ${per(c.events, steps.samples).padStart(8)} ${(c.sqlStatements === undefined ? 'n/a' : per(c.sqlStatements, steps.samples)).padStart(8)} ${per(c.rpcs, steps.samples).padStart(6)}   ${Object.entries(c.rpcByPattern).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${per(n, steps.samples)}`).join(', ')}`;
    console.log(`\nBy step, ${steps.samples} requests one at a time (each step left to settle, its emails and later workflow tasks included; "to 20x": counted until its HTTP answer):`);
    console.log(`    ${'step'.padEnd(9)} ${'wf tasks'.padStart(8)} ${'act tasks'.padStart(9)} ${'events'.padStart(8)} ${'SQL'.padStart(8)} ${'RPCs'.padStart(6)}   RPCs by pattern`);
    console.log(stepLine('submit', steps.submit));
    console.log(stepLine('  to 201', steps.submitToAnswer));
    console.log(stepLine('approve', steps.approve));
    console.log(stepLine('  to 200', steps.approveToAnswer));

    // ---- open loop: raw Updates, then approvals, at the same fixed rate, one right after the other ----
    const runApprovals = await prepareOpenLoopApprovals({ gatewayUrl: stack.services.gatewayUrl, databaseUrl: stack.database.url, sink: stack.sink, count: openCount, rate: OPEN_LOOP_RATE, concurrency: CONCURRENCY });
    const openEngine = await RawEngine.start({ address: stack.temporal.address, namespace: stack.temporal.namespace, client: stack.client });
    try {
      rawOpen = await openEngine.openLoopUpdates(openCount, OPEN_LOOP_RATE, CONCURRENCY);
    } finally {
      await openEngine.stop();
    }
    const approveOpen = await runApprovals();
    console.log(`\nOpen loop: ${openCount} calls at ${OPEN_LOOP_RATE}/s (${OPEN_LOOP_SECONDS} s), each timed from its scheduled send time; raw Updates first, then approvals:`);
    console.log(openLine('  raw Update (executeUpdate)', rawOpen));
    console.log(openLine('  approve (POST /role-requests/{id}/approve)', approveOpen));
    console.log(`  approve / raw Update: p50 ${ratio(approveOpen.latency.p50, rawOpen.latency.p50)}, p99 ${ratio(approveOpen.latency.p99, rawOpen.latency.p99)}`);

    // ---- bulk decisions: 100 in one call against 100 single approvals ----
    await bulkPhase(stack);

    // ---- the worker's memory with many open requests, opened through the public submit path ----
    const memory = await measureWorkerMemory(stack, OPEN_WORKFLOWS, CONCURRENCY);
    console.log(`\nWorker memory: ${memory.open} open request workflows (submitted through the gateway at ${memory.submitsPerSecond.toFixed(1)}/s, all waiting for a decision ${memory.seconds.toFixed(0)} s after the first submit)`);
    console.log(`  access-workflows RSS: ${memory.rssAtBootMiB.toFixed(0)} MiB at boot, ${memory.rssOpenMiB.toFixed(0)} MiB with them open, ${memory.rssPeakMiB.toFixed(0)} MiB peak`);

    const scale = await seedScale(stack.database.url);
    console.log(`\nScale data: ${SCALE.organizations} organizations, ${SCALE.users} users, ${SCALE.pending} pending requests seeded in ${scale.seedSeconds.toFixed(1)} s`);
    const manage = await measureManageAccess(stack.services.gatewayUrl, SAMPLES);
    console.log(`Manage Access through the gateway (GET /api/v1/manage-access, a Security Official of ${manage.organizations} organizations, ${manage.awaiting} requests awaiting them; ${SAMPLES} in sequence):`);
    console.log(line('  PostgreSQL (the product)', manage.latency));
    const visibility = await measureVisibility(stack.client, scale, { executions: VISIBILITY_EXECUTIONS, samples: VISIBILITY_SAMPLES, concurrency: 32 });
    console.log(`The same from Temporal visibility (${visibility.workflows} of the ${scale.pending.length} pending requests as Running executions, started in ${visibility.startSeconds.toFixed(0)} s; first page of 50 + count: ${visibility.awaiting} awaiting):`);
    console.log(line('  Temporal visibility', visibility.latency));

    // ---- access review campaigns (issue 18): last, since their review workflows stay open ----
    const campaigns = await campaignPhase(stack);
    const campaignRatio = printCampaignLifecycle(campaigns);

    // ---- outbound webhooks (issue 20): after the campaigns, so no other phase runs with its leftover retries ----
    const webhooks = await webhookPhase(stack);

    const throughputRatio = lifecycle.load.throughput / raw.load.throughput;
    const gib = memory.rssPeakMiB / 1024;
    const target = (label: string, value: string, met: boolean) => console.log(`  ${label.padEnd(48)} ${value.padStart(10)} ${met ? 'MET' : 'MISSED'}`);
    console.log(`\nTargets (issue 16; reported, not asserted):`);
    target('approve p50 <= 2x raw Update p50:', ratio(lifecycle.approve.p50, raw.update.p50), lifecycle.approve.p50 <= 2 * raw.update.p50);
    target('approve p95 <= 2x raw Update p95:', ratio(lifecycle.approve.p95, raw.update.p95), lifecycle.approve.p95 <= 2 * raw.update.p95);
    target('submit p50 <= 1.5x raw start p50:', ratio(lifecycle.submit.p50, raw.start.p50), lifecycle.submit.p50 <= 1.5 * raw.start.p50);
    target('lifecycle throughput >= 0.30x raw:', `${throughputRatio.toFixed(2)}x`, throughputRatio >= 0.3);
    target('manage-access p99 < 50 ms:', ms(manage.latency.p99), manage.latency.p99 < 50);
    target(`worker RSS < 1 GiB with ${memory.open} open:`, `${gib.toFixed(2)} GiB`, gib < 1);
    target(`lifecycle with a ${campaigns.concurrent.reviews}-review campaign >= 0.83x alone:`, `${campaignRatio.toFixed(2)}x`, campaignRatio >= 0.83);
    target('lifecycle, 10 webhook subscribers (1 failing) >= 0.90x none:', `${webhooks.ratio.toFixed(2)}x`, webhooks.ratio >= 0.9);
    console.log(`lifecycle/raw throughput ratio: ${throughputRatio.toFixed(2)}`);
  } finally {
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
  // Iterations still in flight when one failed keep their timers: the stack is stopped, so leave.
  setTimeout(() => process.exit(1), 5000).unref();
});
