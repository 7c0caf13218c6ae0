import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { closedLoop, summarize, timed, within, type LoadResult, type Summary } from './stats';
import { signInAll, type Caller } from './gateway';
import { seedPeople, type Seeded } from './seed';
import type { SmtpSink } from './smtp-sink';

export interface LifecycleResult {
  load: LoadResult;
  /** POST /role-requests/{id}/approve through the gateway, until its 200. */
  approve: Summary;
  submit: Summary;
  /** When the measured iterations began and ended (epoch ms): the window their workflows started in. */
  window: { from: number; to: number };
  /** With retrySubmit: submits whose retry after a 503 was refused as a duplicate of the first attempt's request (taken as submitted). */
  resubmittedAsDuplicate: number;
}

/** The people runLifecycle takes: who asks (one a request) and who approves (at each organization). */
export interface LifecyclePeople {
  requesters: Caller[];
  officials: { caller: Caller; id: string; organizationId: string }[];
}

/**
 * The lifecycle phase's people, seeded under `tag` and signed in: `concurrency` organizations with
 * one Security Official each, and one requester per iteration (`iterations`, warm-up included).
 */
export async function lifecyclePeople(gatewayUrl: string, databaseUrl: string, o: { tag: string; concurrency: number; iterations: number; firstIdentifier: number }): Promise<LifecyclePeople & { seeded: Seeded }> {
  const seeded = await seedPeople(databaseUrl, o.tag, { orgs: o.concurrency, requesters: o.iterations, firstIdentifier: o.firstIdentifier });
  const [officials, requesters] = await Promise.all([signInAll(gatewayUrl, seeded.officials.map((u) => u.loginId)), signInAll(gatewayUrl, seeded.requesters.map((u) => u.loginId))]);
  return { seeded, requesters, officials: officials.map((caller, k) => ({ caller, id: seeded.officials[k].id, organizationId: seeded.organizations[k] })) };
}

/** A step taking longer than this fails the run: on this design a step takes well under a second. */
const STEP_TIMEOUT_MS = 120_000;

interface RequestView {
  id: string;
  status: string;
}

/**
 * One iteration is a whole request: the requester submits through the gateway, the organization's
 * Security Official approves (the 200 carries APPROVED: the role is granted in the same
 * transaction), and it ends when the SMTP server has accepted both the requester's and the
 * approver's email about the decision.
 */
export async function runLifecycle(o: LifecyclePeople & {
  /** Where the decision emails are seen accepted (the bench's SMTP sink, or MailDev in the production topology). */
  sink: Pick<SmtpSink, 'acceptance'>;
  warmup: number;
  concurrency: number;
  /** Runs between the warm-up and the measured iterations (the counters' first snapshot). */
  beforeMeasured?: () => Promise<void>;
  /** Called as each measured iteration ends, with when it began and ended (performance.now()). */
  onMeasured?: (began: number, ended: number) => void;
  /**
   * Each submit carries an Idempotency-Key and a 503 (the gateway's call to a service timed out on
   * an overloaded machine) is retried, as approvals always are; counted in Caller.retried503.
   * Off for the lifecycle phase, whose every submit is one call.
   */
  retrySubmit?: boolean;
  /** A step taking longer fails the run (default STEP_TIMEOUT_MS). */
  stepTimeoutMs?: number;
  /** Called when a measured iteration's approval has answered 200 (performance.now()), with the request's id. */
  onApproved?: (requestId: string, at: number) => void;
}): Promise<LifecycleResult> {
  const stepTimeoutMs = o.stepTimeoutMs ?? STEP_TIMEOUT_MS;
  const approvals: number[] = [];
  const submits: number[] = [];
  let resubmittedAsDuplicate = 0;
  const one = async (i: number) => {
    const official = o.officials[i % o.officials.length];
    const submit = async (): Promise<RequestView> => {
      const body = { organizationId: official.organizationId, role: 'STAFF_USER', justification: 'Benchmark request.' };
      if (!o.retrySubmit) return o.requesters[i].post<RequestView>('/api/v1/role-requests', body, 201);
      try {
        return await o.requesters[i].post<RequestView>('/api/v1/role-requests', body, 201, true, { 'idempotency-key': randomUUID() });
      } catch (err) {
        // The gateway gives up the key of a call it answered 503 (the retry runs again), but the first attempt may still
        // have recorded the request: the retry is then refused as a duplicate that names it, and that is the request.
        const pending = err instanceof Error && / answered 409 .*"DUPLICATE_PENDING_REQUEST".*"pendingRequestId":"([0-9a-f-]{36})"/.exec(err.message)?.[1];
        if (!pending) throw err;
        resubmittedAsDuplicate++;
        return { id: pending, status: 'PENDING' };
      }
    };
    const submitted = await timed(submits, () => within(stepTimeoutMs, `submit of requester ${i}`, submit()));
    const approved = await timed(approvals, () =>
      within(stepTimeoutMs, `approval of ${submitted.id}`, official.caller.post<RequestView>(`/api/v1/role-requests/${submitted.id}/approve`, {}, 200, true)),
    );
    if (approved.status !== 'APPROVED') throw new Error(`request ${submitted.id} is ${approved.status} after its approval`);
    if (i >= o.warmup) o.onApproved?.(submitted.id, performance.now());
    const emails = [`role-request-${submitted.id}/decided/requester`, `role-request-${submitted.id}/decided/approver/${official.id}`];
    await within(stepTimeoutMs, `the emails ${emails.join(' and ')}`, Promise.all(emails.map((key) => o.sink.acceptance(key))));
  };
  // The first `warmup` requesters warm the path up; the rest are measured.
  await closedLoop(o.warmup, o.concurrency, one);
  approvals.length = 0;
  submits.length = 0;
  await o.beforeMeasured?.();
  const from = Date.now();
  const load = await closedLoop(o.requesters.length - o.warmup, o.concurrency, async (i) => {
    const began = performance.now();
    await one(i + o.warmup);
    o.onMeasured?.(began, performance.now());
  });
  return { load, approve: summarize(approvals), submit: summarize(submits), window: { from, to: Date.now() }, resubmittedAsDuplicate };
}
