import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { closedLoop, summarize, timed, within, type LoadResult, type Summary } from './stats';
import type { Caller } from './gateway';
import type { SmtpSink } from './smtp-sink';

export interface LifecycleResult {
  load: LoadResult;
  /** POST /role-requests/{id}/approve through the gateway, until its 200. */
  approve: Summary;
  submit: Summary;
  /** When the measured iterations began and ended (epoch ms): the window their workflows started in. */
  window: { from: number; to: number };
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
export async function runLifecycle(o: {
  sink: SmtpSink;
  requesters: Caller[];
  officials: { caller: Caller; id: string; organizationId: string }[];
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
}): Promise<LifecycleResult> {
  const approvals: number[] = [];
  const submits: number[] = [];
  const one = async (i: number) => {
    const official = o.officials[i % o.officials.length];
    const submitted = await timed(submits, () =>
      within(
        STEP_TIMEOUT_MS,
        `submit of requester ${i}`,
        o.requesters[i].post<RequestView>(
          '/api/v1/role-requests',
          { organizationId: official.organizationId, role: 'STAFF_USER', justification: 'Benchmark request.' },
          201,
          o.retrySubmit,
          o.retrySubmit ? { 'idempotency-key': randomUUID() } : {},
        ),
      ),
    );
    const approved = await timed(approvals, () =>
      within(STEP_TIMEOUT_MS, `approval of ${submitted.id}`, official.caller.post<RequestView>(`/api/v1/role-requests/${submitted.id}/approve`, {}, 200, true)),
    );
    if (approved.status !== 'APPROVED') throw new Error(`request ${submitted.id} is ${approved.status} after its approval`);
    const emails = [`role-request-${submitted.id}/decided/requester`, `role-request-${submitted.id}/decided/approver/${official.id}`];
    await within(STEP_TIMEOUT_MS, `the emails ${emails.join(' and ')}`, Promise.all(emails.map((key) => o.sink.acceptance(key))));
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
  return { load, approve: summarize(approvals), submit: summarize(submits), window: { from, to: Date.now() } };
}
