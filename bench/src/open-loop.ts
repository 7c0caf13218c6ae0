import { signInAll, type Caller } from './gateway';
import { seedPeople } from './seed';
import type { SmtpSink } from './smtp-sink';
import { mapLimit, openLoop, within, type OpenLoopResult } from './stats';

interface RequestView {
  id: string;
  status: string;
}

const STEP_TIMEOUT_MS = 120_000;

/**
 * Approvals at a fixed rate, below saturation: `count` requests are submitted through the gateway
 * first (at `concurrency`) and left to settle (their submission emails accepted: each workflow
 * waits for a decision). The function returned then has their Security Officials approve them at
 * `rate` per second, sent by the clock whatever the earlier ones are doing, each timed from its
 * scheduled send time until its 200; it ends when every decision email has been accepted, so the
 * next phase starts quiet.
 */
export async function prepareOpenLoopApprovals(o: {
  gatewayUrl: string;
  databaseUrl: string;
  sink: SmtpSink;
  count: number;
  rate: number;
  concurrency: number;
}): Promise<() => Promise<OpenLoopResult>> {
  // One requester asks at every organization (one pending request per organization each), so few sign-ins are needed.
  const orgs = Math.min(o.concurrency, o.count);
  const seeded = await seedPeople(o.databaseUrl, 'ol', { orgs, requesters: Math.ceil(o.count / orgs), firstIdentifier: 820_000_000 });
  const [officials, requesters] = await Promise.all([
    signInAll(o.gatewayUrl, seeded.officials.map((u) => u.loginId)),
    signInAll(o.gatewayUrl, seeded.requesters.map((u) => u.loginId)),
  ]);
  const ask = (i: number): { requester: Caller; official: Caller; officialId: string; organizationId: string } => ({
    requester: requesters[Math.floor(i / orgs)],
    official: officials[i % orgs],
    officialId: seeded.officials[i % orgs].id,
    organizationId: seeded.organizations[i % orgs],
  });
  const ids = await mapLimit(o.count, o.concurrency, async (i) => {
    const { requester, organizationId } = ask(i);
    const view = await within(STEP_TIMEOUT_MS, `submit ${i}`, requester.post<RequestView>('/api/v1/role-requests', { organizationId, role: 'STAFF_USER', justification: 'Benchmark request.' }, 201));
    return view.id;
  });
  await within(5 * 60_000, `the submission emails of ${o.count} requests`, Promise.all(ids.map((id) => o.sink.acceptance(`role-request-${id}/submitted/requester`))));
  return async () => {
    const result = await openLoop(o.count, o.rate, async (i) => {
      const approved = await within(STEP_TIMEOUT_MS, `approval of ${ids[i]}`, ask(i).official.post<RequestView>(`/api/v1/role-requests/${ids[i]}/approve`, {}, 200, true));
      if (approved.status !== 'APPROVED') throw new Error(`request ${ids[i]} is ${approved.status} after its approval`);
    });
    await within(
      5 * 60_000,
      'the decision emails of the open-loop approvals',
      Promise.all(ids.flatMap((id, i) => [`role-request-${id}/decided/requester`, `role-request-${id}/decided/approver/${ask(i).officialId}`].map((k) => o.sink.acceptance(k)))),
    );
    return result;
  };
}
