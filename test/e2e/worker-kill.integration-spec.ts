// The access-workflows process (Temporal worker and client) killed with SIGKILL while 200 requests
// are in flight and being approved, then restarted: every request completes, with exactly one
// decision in the directory and in Temporal, and every email sent exactly once.
import type { Client } from '@temporalio/client';
import { query, waitFor, type RunningServices } from '@am/devstack';
import { testStack } from '../setup/stack';
import { mailbox, signIn, type Api, type ApiResponse } from '../support/api';
import { startExtraStack } from '../support/extra-stack';
import { createOrganization, createUser, grantRole } from '../support/factories';
import { activityNames, noticesIn, temporalClient } from '../support/temporal';

const REQUESTS = 200;
const KILL_AFTER_APPROVALS = 40;

/** Runs `fn` over `items` with at most `limit` at a time. */
async function inPool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

describe('access-workflows worker killed mid-flight', () => {
  let stack: RunningServices;
  let temporal: { client: Client; close: () => Promise<void> };

  beforeAll(async () => {
    [stack, temporal] = await Promise.all([startExtraStack('kill', {}), temporalClient()]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([stack?.stop(), temporal?.close()]);
  });

  it(`completes all ${REQUESTS} requests after a SIGKILL and restart, with no duplicate decision or email`, async () => {
    const t0 = Date.now();
    const org = await createOrganization();
    const officialUser = await createUser({ displayName: 'Kim Killtest' });
    await grantRole(officialUser, org, 'SECURITY_OFFICIAL');
    const requesters = await inPool(Array.from({ length: REQUESTS }), 10, () => createUser());

    const ids = await inPool(requesters, 8, async (r) => {
      const res = await (await signIn(r, stack.gatewayUrl)).post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
      expect(res.status).toBe(201);
      return res.body.id as string;
    });
    const tSubmitted = Date.now();

    // Approve all of them; the process behind the approvals is killed part-way and restarted.
    // A call cut off by the kill is retried (same approver, same decision: 200 once recorded).
    const official: Api = await signIn(officialUser, stack.gatewayUrl);
    let approved = 0;
    const failedAttempts: number[] = [];
    const approving = inPool(ids, 10, async (id) => {
      const res = await waitFor<ApiResponse>(
        `the approval of ${id}`,
        async () => {
          const r = await official.post(`/api/v1/role-requests/${id}/approve`);
          if (r.status >= 500) failedAttempts.push(r.status);
          return r.status < 500 ? r : undefined;
        },
        180_000,
        250,
      );
      approved++;
      return res;
    });
    await waitFor(`${KILL_AFTER_APPROVALS} approvals before the kill`, async () => approved >= KILL_AFTER_APPROVALS, 120_000, 20);
    const worker = stack.processes.get('access-workflows')!;
    worker.kill('SIGKILL');
    expect(await worker.exited).toBeNull(); // ended by the signal, not by itself
    const approvedAtKill = approved;
    const tKilled = Date.now();
    await stack.restart('access-workflows');
    const tRestarted = Date.now();

    const responses = await approving;
    expect(responses.map((r) => r.status)).toEqual(ids.map(() => 200));
    expect(responses.every((r) => r.body.status === 'APPROVED' && r.body.decidedBy.id === officialUser.id)).toBe(true);

    // Every workflow completes, each with one decision recorded and four notices.
    const activities = await inPool(ids, 20, async (id) => {
      const handle = temporal.client.workflow.getHandle(`role-request-${id}`);
      const final = await handle.result();
      expect(final.status).toBe('APPROVED');
      const history = await handle.fetchHistory();
      return { names: activityNames(history), notices: noticesIn(history) };
    });
    for (const a of activities) {
      expect(a.names.filter((n) => n === 'recordDecision')).toHaveLength(1);
      // Two on submit, two on the decision, each group in one activity.
      expect(a.names.filter((n) => n === 'sendNotifications')).toHaveLength(2);
      expect(a.notices).toHaveLength(4);
    }
    const tCompleted = Date.now();

    // The directory: all approved, one decision each, every role granted.
    const db = testStack().databaseUrl;
    const statuses = await query(db, `SELECT status, count(*)::int AS n FROM role_requests WHERE id = ANY($1::uuid[]) GROUP BY status`, [ids]);
    expect(statuses).toEqual([{ status: 'APPROVED', n: REQUESTS }]);
    const decisions = await query(
      db,
      `SELECT subject_id, count(*)::int AS n FROM audit_events WHERE subject_id = ANY($1::text[]) AND action = 'role-request.approved' GROUP BY subject_id`,
      [ids],
    );
    expect(decisions).toHaveLength(REQUESTS);
    expect(decisions.every((d) => d.n === 1)).toBe(true);
    const grants = await query(db, `SELECT count(*)::int AS n FROM role_assignments WHERE organization_id = $1 AND role = 'STAFF_USER'`, [org.id]);
    expect(grants).toEqual([{ n: REQUESTS }]);

    // The mail server: four notices per request (submitted x2, decided x2), none twice.
    const wanted = new Set(ids.flatMap((id) => [
      `role-request-${id}/submitted/requester`,
      `role-request-${id}/submitted/approver/${officialUser.id}`,
      `role-request-${id}/decided/requester`,
      `role-request-${id}/decided/approver/${officialUser.id}`,
    ]));
    const ours = await waitFor(
      `all ${wanted.size} emails`,
      async () => {
        const msgs = (await mailbox().messages()).filter((m) => wanted.has(m.headers['x-idempotency-key']));
        return new Set(msgs.map((m) => m.headers['x-idempotency-key'])).size === wanted.size ? msgs : undefined;
      },
      120_000,
      1000,
    );
    expect(ours).toHaveLength(wanted.size);

    console.log(
      [
        `worker kill: ${REQUESTS} requests submitted in ${tSubmitted - t0} ms; killed after ${approvedAtKill} approvals answered`,
        `${failedAttempts.length} approve calls failed during the outage and were retried; restart took ${tRestarted - tKilled} ms`,
        `all workflows completed ${tCompleted - tRestarted} ms after restart; ${ours.length} emails, no duplicates`,
      ].join('\n'),
    );
  }, 600_000);
});
