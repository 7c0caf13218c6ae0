import { signInAll, type Caller } from './gateway';
import { seedPeople } from './seed';
import type { SmtpSink } from './smtp-sink';
import { closedLoop, mapLimit, within } from './stats';

/** How the same 100 approvals are made (issue 17). */
export type BulkMode = 'one bulk call' | 'one after another' | 'at the bench concurrency';
export interface BulkRound {
  mode: BulkMode;
  /** From the first call sent to the last 200 (every role granted). */
  decidedMs: number;
  /** From the first call sent until the SMTP server has accepted every decision email. */
  toldMs: number;
}

const STEP_TIMEOUT_MS = 300_000;

/**
 * The bulk phase: `size` pending requests at each of three organizations (one Security Official
 * each), approved in one `POST /role-requests/decisions`, in `size` single approvals one after
 * another, and in `size` single approvals `concurrency` at a time. Every mode decides fresh
 * requests by the same Update; each is timed until the last role is granted and until the last
 * decision email is accepted. `rounds` rounds, the modes in turn within each.
 */
export async function measureBulk(o: { gatewayUrl: string; databaseUrl: string; sink: SmtpSink; size: number; rounds: number; concurrency: number }): Promise<BulkRound[]> {
  const modes: BulkMode[] = ['one bulk call', 'one after another', 'at the bench concurrency'];
  const seeded = await seedPeople(o.databaseUrl, 'bulk', { orgs: modes.length * o.rounds, requesters: o.size, firstIdentifier: 870_000_000 });
  const [officials, requesters] = await Promise.all([
    signInAll(o.gatewayUrl, seeded.officials.map((u) => u.loginId)),
    signInAll(o.gatewayUrl, seeded.requesters.map((u) => u.loginId)),
  ]);
  const rounds: BulkRound[] = [];
  for (let r = 0; r < o.rounds; r++) {
    for (const [m, mode] of modes.entries()) {
      const k = r * modes.length + m;
      const organizationId = seeded.organizations[k];
      const official: Caller = officials[k];
      const ids = await mapLimit(o.size, o.concurrency, async (i) => {
        const submitted = await requesters[i].post<{ id: string }>('/api/v1/role-requests', { organizationId, role: 'STAFF_USER', justification: 'Bulk benchmark.' }, 201, true);
        return submitted.id;
      });
      const emails = ids.flatMap((id) => [`role-request-${id}/decided/requester`, `role-request-${id}/decided/approver/${seeded.officials[k].id}`]);
      const start = performance.now();
      if (mode === 'one bulk call') {
        const answer = await within(STEP_TIMEOUT_MS, 'the bulk approval', official.post<{ results: { status: number }[] }>('/api/v1/role-requests/decisions', { decision: 'APPROVE', requestIds: ids }, 200));
        const refused = answer.results.filter((x) => x.status !== 200);
        if (refused.length) throw new Error(`${refused.length} of the bulk approvals were refused: ${JSON.stringify(refused[0])}`);
      } else {
        const approve = async (i: number) => {
          const approved = await official.post<{ status: string }>(`/api/v1/role-requests/${ids[i]}/approve`, {}, 200, true);
          if (approved.status !== 'APPROVED') throw new Error(`request ${ids[i]} is ${approved.status} after its approval`);
        };
        await within(STEP_TIMEOUT_MS, `approvals ${mode}`, closedLoop(ids.length, mode === 'one after another' ? 1 : o.concurrency, approve));
      }
      const decidedMs = performance.now() - start;
      await within(STEP_TIMEOUT_MS, `the ${emails.length} decision emails`, Promise.all(emails.map((key) => o.sink.acceptance(key))));
      rounds.push({ mode, decidedMs, toldMs: performance.now() - start });
    }
  }
  return rounds;
}
