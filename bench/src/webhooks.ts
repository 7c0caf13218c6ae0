import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServiceProcess, waitFor } from '@am/devstack';
import { signInHelpDesk } from './campaign';
import { Caller, signInAll } from './gateway';
import { runLifecycle, type LifecycleResult } from './lifecycle';
import { seedPeople } from './seed';
import type { BenchStack } from './stack';
import { summarize, within, type Summary } from './stats';
import { WebhookSink } from './webhook-sink';

/**
 * Issue 20, item 7: outbound webhooks measured.
 *
 * (a) Delivery latency: one subscriber to `role-request.decided`; `samples` requests, one at a time,
 *     each submitted and approved through the gateway; from the approve call's 200 (as the bench
 *     sees it) to the moment the subscriber's endpoint answers 200 to that request's decision.
 * (b) The lifecycle (lifecycle.ts: submit, approve, both decision emails) with no subscription, then
 *     with 10 subscribers to every role-request event of every organization, one of which always
 *     answers 500 (retried at the service's WEBHOOK_RETRY_* settings), then with none again (the
 *     subscriptions deleted): three runs of the same size, other people each time. The figure is
 *     the run with subscribers against the mean of the two without (so a drift of the machine over
 *     the phase does not read as the webhooks' cost). The run with subscribers also times, for one
 *     healthy subscriber, each measured decision from the approve call's 200 to its endpoint's 200:
 *     the delivery latency under load.
 */
export interface WebhookLatency {
  latency: Summary;
  /** Of the samples, how many were answered by the endpoint before the bench had the approve call's answer. */
  beforeAnswer: number;
}

export interface WebhookPhase extends WebhookLatency {
  alone: LifecycleResult;
  withSubscribers: LifecycleResult;
  aloneAfter: LifecycleResult;
  /** withSubscribers' throughput / the mean of alone's and aloneAfter's. */
  ratio: number;
  /** Under load (b): from each measured approval's 200 to the first healthy subscriber's 200 for its decision. */
  loadedLatency: Summary;
  /**
   * The measured requests' submissions and decisions at the 9 healthy endpoints: how many (events x 9),
   * how many had been answered 2xx when the run ended, how long after its end the last one was, and
   * 2xx answers to a webhook-id already answered 2xx (duplicates: at least once allows them).
   */
  healthy: { expected: number; byEnd: number; settledMs: number; duplicates: number };
  /** Requests the always-failing endpoint received during the phase (every attempt). */
  failingAttempts: number;
  /** Calls answered 503 (a service did not answer the gateway in time) and retried, in each run. */
  retried503: { alone: number; withSubscribers: number; aloneAfter: number };
}

const SUBSCRIBERS = 10;
const EVENTS = ['role-request.submitted', 'role-request.decided', 'role-request.withdrawn'];

interface WebhookCreated {
  id: string;
}

/**
 * The bench's endpoints listen on 127.0.0.1, which a production directory refuses (http, and a
 * loopback address; WEBHOOK_ALLOW_PRIVATE is itself refused in production). So for this phase the
 * directory restarts with NODE_ENV=development and WEBHOOK_ALLOW_PRIVATE=true; in the directory
 * NODE_ENV decides only those endpoint rules, the demo seeders' refusal and checks of the
 * configuration at start, so the path measured is production's. The other services stay as they are.
 */
export async function restartDirectoryForLoopbackEndpoints(stack: BenchStack): Promise<void> {
  await stack.services.processes.get('directory')?.stop();
  const directory = startServiceProcess('directory', { ...stack.env, NODE_ENV: 'development', WEBHOOK_ALLOW_PRIVATE: 'true' }, join(stack.logDir, 'directory-webhooks.log'));
  stack.services.processes.set('directory', directory);
  await waitFor(
    `the directory restarted for the webhooks phase (log: ${join(stack.logDir, 'directory-webhooks.log')})`,
    async () => {
      if (directory.child.exitCode !== null) throw new Error(`the directory exited with code ${directory.child.exitCode}`);
      return (await fetch(`${stack.services.gatewayUrl}/health`).catch(() => null))?.ok;
    },
    120_000,
    250,
  );
}

export async function measureWebhooks(
  stack: BenchStack,
  o: { samples: number; warmup: number; iterations: number; concurrency: number; settleTimeoutMs: number; stepTimeoutMs: number; onLatency?: (l: WebhookLatency) => void },
): Promise<WebhookPhase> {
  const url = stack.database.url;
  const sink = new WebhookSink();
  await sink.start();
  try {
    await restartDirectoryForLoopbackEndpoints(stack);
    const desk = await signInHelpDesk(stack);

    // ---- (a) latency, one subscriber, one request at a time ----
    const one = await seedPeople(url, 'wl', { orgs: 1, requesters: o.samples + 5, firstIdentifier: 880_000_000 });
    const [[official], requesters] = await Promise.all([signInAll(stack.services.gatewayUrl, one.officials.map((u) => u.loginId)), signInAll(stack.services.gatewayUrl, one.requesters.map((u) => u.loginId))]);
    const latencySub = await desk.post<WebhookCreated>('/api/v1/webhooks', { url: sink.url('/latency'), events: ['role-request.decided'], description: 'bench: latency' }, 201);
    const latencies: number[] = [];
    let beforeAnswer = 0;
    for (let i = 0; i < requesters.length; i++) {
      const submitted = await requesters[i].post<{ id: string }>('/api/v1/role-requests', { organizationId: one.organizations[0], role: 'STAFF_USER', justification: 'Benchmark request.' }, 201);
      const delivered = sink.answeredAt('/latency', 'role-request.decided', submitted.id);
      await official.post(`/api/v1/role-requests/${submitted.id}/approve`, {}, 200, true);
      const answered = performance.now();
      const at = await within(o.settleTimeoutMs, `the decision of ${submitted.id} at the latency endpoint`, delivered);
      // The first few warm the path up.
      if (i < 5) continue;
      latencies.push(at - answered);
      if (at < answered) beforeAnswer++;
    }
    await desk.delete(`/api/v1/webhooks/${latencySub.id}`);
    o.onLatency?.({ latency: summarize(latencies), beforeAnswer });

    // ---- (b) the lifecycle without, with 10 subscribers (one always failing), and without again ----
    const people = [];
    for (const [k, tag] of ['wa', 'wb', 'wc'].entries()) people.push(await seedPeople(url, tag, { orgs: o.concurrency, requesters: o.warmup + o.iterations, firstIdentifier: 890_000_000 + k * 10_000_000 }));
    const callers = await Promise.all(
      people.map(async (p) => {
        const [officials, reqs] = await Promise.all([signInAll(stack.services.gatewayUrl, p.officials.map((u) => u.loginId)), signInAll(stack.services.gatewayUrl, p.requesters.map((u) => u.loginId))]);
        return { requesters: reqs, officials: officials.map((caller: Caller, k) => ({ caller, id: p.officials[k].id, organizationId: p.organizations[k] })) };
      }),
    );
    // As in the campaign phase: on a loaded machine a call may be answered 503 (the gateway's call to a service timed out);
    // every run retries it (submits carry an Idempotency-Key) and the retries are counted, so a backlog shows as time and
    // as a count, not as a failed run.
    const options = { sink: stack.sink, warmup: o.warmup, concurrency: o.concurrency, retrySubmit: true, stepTimeoutMs: o.stepTimeoutMs };
    const maxRetries503 = Caller.maxRetries503;
    Caller.maxRetries503 = 1000;
    let before = Caller.retried503;
    const retried = () => {
      const n = Caller.retried503 - before;
      before = Caller.retried503;
      return n;
    };
    const alone = await runLifecycle({ ...options, ...callers[0] });
    const retriedAlone = retried();

    const paths = Array.from({ length: SUBSCRIBERS }, (_, k) => `/s${k}`);
    sink.failing.add(paths[SUBSCRIBERS - 1]);
    const subs: WebhookCreated[] = [];
    for (const path of paths) subs.push(await desk.post<WebhookCreated>('/api/v1/webhooks', { url: sink.url(path), events: EVENTS, description: `bench: ${path}` }, 201));
    const approvedAt = new Map<string, number>();
    const withSubscribers = await runLifecycle({ ...options, ...callers[1], onApproved: (id, at) => approvedAt.set(id, at) });
    const endedAt = performance.now();
    const retriedWith = retried();
    // Every measured request's submission and decision, at each healthy endpoint (the warm-up's too are delivered, not counted).
    const healthyPaths = paths.filter((p) => !sink.failing.has(p));
    const wanted = [...approvedAt.keys()].flatMap((id) => healthyPaths.flatMap((p) => ['role-request.submitted', 'role-request.decided'].map((type) => [p, type, id] as const)));
    const byEnd = wanted.filter(([p, type, id]) => sink.peek(p, type, id) !== undefined).length;
    const arrivals = await within(
      o.settleTimeoutMs,
      'every delivery of the run with subscribers at the healthy endpoints',
      Promise.all(wanted.map(([p, type, id]) => sink.answeredAt(p, type, id))),
    );
    const settledMs = Math.max(0, Math.max(...arrivals) - endedAt);
    const loaded = await Promise.all([...approvedAt].map(async ([id, at]) => (await sink.answeredAt(healthyPaths[0], 'role-request.decided', id)) - at));
    for (const s of subs) await desk.delete(`/api/v1/webhooks/${s.id}`);

    const aloneAfter = await runLifecycle({ ...options, ...callers[2] });
    const retriedAfter = retried();
    Caller.maxRetries503 = maxRetries503;
    const baseline = (alone.load.throughput + aloneAfter.load.throughput) / 2;
    return {
      latency: summarize(latencies),
      beforeAnswer,
      alone,
      withSubscribers,
      aloneAfter,
      ratio: withSubscribers.load.throughput / baseline,
      loadedLatency: summarize(loaded),
      healthy: { expected: wanted.length, byEnd, settledMs, duplicates: sink.duplicates },
      failingAttempts: sink.requests.get(paths[SUBSCRIBERS - 1]) ?? 0,
      retried503: { alone: retriedAlone, withSubscribers: retriedWith, aloneAfter: retriedAfter },
    };
  } finally {
    await sink.stop();
  }
}
