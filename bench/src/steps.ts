import type { Client } from '@temporalio/client';
import { waitFor } from '@am/devstack';
import { readRpcCounts, rpcDelta, SqlCounter, startedBetween } from './counters';
import type { Caller } from './gateway';
import type { SmtpSink } from './smtp-sink';
import { within } from './stats';

interface RequestView {
  id: string;
  status: string;
}

export interface StepCounts {
  workflowTasks: number;
  activityTasks: number;
  events: number;
  sqlStatements?: number;
  rpcs: number;
  rpcByPattern: Record<string, number>;
}

export interface StepsResult {
  samples: number;
  submit: StepCounts;
  approve: StepCounts;
  /** The same, counted only until the step's HTTP answer (201, 200): its critical path, plus whatever ran alongside. */
  submitToAnswer: StepCounts;
  approveToAnswer: StepCounts;
}

const empty = (): StepCounts => ({ workflowTasks: 0, activityTasks: 0, events: 0, rpcs: 0, rpcByPattern: {} });

/**
 * The lifecycle's counts split by step: `samples` requests one at a time, each step left to settle
 * before the next (its emails accepted, and every workflow the request started closed or idle: no
 * pending workflow task or activity), with the counters read between the steps. History events
 * are given to the step during which they were recorded (by their event time). A step includes
 * what it causes after its HTTP answer (emails, the workflow's later tasks); each is also counted
 * until its HTTP answer alone (the counters are read right when it arrives, so work that had
 * started alongside, an email activity say, may be in it).
 */
export async function measureSteps(o: {
  client: Client;
  sink: SmtpSink;
  sql: SqlCounter;
  countersDir: string;
  servicePids: () => Map<string, number>;
  samples: number;
  /** requester i asks at organization i of `officials`. */
  requesters: Caller[];
  officials: { caller: Caller; id: string; organizationId: string }[];
}): Promise<StepsResult> {
  const submit = empty();
  const approve = empty();
  const submitToAnswer = empty();
  const approveToAnswer = empty();
  const rpcs = () => readRpcCounts(o.countersDir, o.servicePids());
  const add = (into: StepCounts, d: ReturnType<typeof rpcDelta>, statements?: number) => {
    into.rpcs += d.total;
    for (const [p, n] of Object.entries(d.byPattern)) into.rpcByPattern[p] = (into.rpcByPattern[p] ?? 0) + n;
    if (statements !== undefined) into.sqlStatements = (into.sqlStatements ?? 0) + statements;
  };
  for (let i = 0; i < o.samples; i++) {
    const official = o.officials[i % o.officials.length];
    const [r0, s0] = [await rpcs(), await o.sql.snapshot()];
    const t0 = Date.now();
    const submitted = await o.requesters[i].post<RequestView>('/api/v1/role-requests', { organizationId: official.organizationId, role: 'STAFF_USER', justification: 'Benchmark request.' }, 201);
    const [ra0, sa0] = [await rpcs(), await o.sql.snapshot()];
    const ta0 = Date.now();
    await within(120_000, `the submission email of ${submitted.id}`, o.sink.acceptance(`role-request-${submitted.id}/submitted/requester`));
    await settled(o.client, t0);
    const [r1, s1] = [await rpcs(), await o.sql.snapshot()];
    const t1 = Date.now();
    const approved = await official.caller.post<RequestView>(`/api/v1/role-requests/${submitted.id}/approve`, {}, 200, true);
    const [ra1, sa1] = [await rpcs(), await o.sql.snapshot()];
    const ta1 = Date.now();
    if (approved.status !== 'APPROVED') throw new Error(`request ${submitted.id} is ${approved.status} after its approval`);
    await within(
      120_000,
      `the decision emails of ${submitted.id}`,
      Promise.all([`role-request-${submitted.id}/decided/requester`, `role-request-${submitted.id}/decided/approver/${official.id}`].map((k) => o.sink.acceptance(k))),
    );
    await settled(o.client, t0);
    const [r2, s2] = [await rpcs(), await o.sql.snapshot()];
    add(submit, rpcDelta(r0, r1), SqlCounter.delta(s0, s1).statements);
    add(approve, rpcDelta(r1, r2), SqlCounter.delta(s1, s2).statements);
    add(submitToAnswer, rpcDelta(r0, ra0), SqlCounter.delta(s0, sa0).statements);
    add(approveToAnswer, rpcDelta(r1, ra1), SqlCounter.delta(s1, sa1).statements);
    for (const wf of await startedSince(o.client, t0)) {
      const history = await o.client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
      for (const e of history.events ?? []) {
        const at = Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);
        const steps = at < t1 ? [submit, ...(at < ta0 ? [submitToAnswer] : [])] : [approve, ...(at < ta1 ? [approveToAnswer] : [])];
        for (const step of steps) {
          step.events++;
          if (e.workflowTaskCompletedEventAttributes) step.workflowTasks++;
          if (e.activityTaskScheduledEventAttributes) step.activityTasks++;
        }
      }
    }
  }
  return { samples: o.samples, submit, approve, submitToAnswer, approveToAnswer };
}

async function startedSince(client: Client, from: number): Promise<{ workflowId: string; runId: string }[]> {
  const out: { workflowId: string; runId: string }[] = [];
  for await (const wf of client.workflow.list({ query: startedBetween(from, Date.now() + 60_000) })) out.push({ workflowId: wf.workflowId, runId: wf.runId });
  return out;
}

/** Until at least one workflow started since `from` is listed and each is closed or idle (no pending workflow task, no pending activity). */
async function settled(client: Client, from: number): Promise<void> {
  await waitFor(
    'the request\'s workflows to settle',
    async () => {
      const wfs = await startedSince(client, from);
      if (wfs.length === 0) return false;
      for (const wf of wfs) {
        const d = await client.workflow.getHandle(wf.workflowId, wf.runId).describe();
        if (d.status.name !== 'RUNNING') continue;
        if (d.raw.pendingWorkflowTask || (d.raw.pendingActivities?.length ?? 0) > 0) return false;
      }
      return true;
    },
    120_000,
    100,
  );
}
