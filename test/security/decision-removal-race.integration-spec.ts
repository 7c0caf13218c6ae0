// Issue 14: a decision and the removal of its decider at the same instant never both win. The
// decision takes the organization's lock, as removals do, so one of the two always sees the other.
import { query } from '@am/devstack';
import { testStack } from '../setup/stack';
import { signIn } from '../support/api';
import { createOrganization, createUser, grantRole } from '../support/factories';

const db = () => testStack().databaseUrl;

describe('decisions against removals of their decider', () => {
  it('of many pairs at once, none records an approval by an official whose removal committed first', async () => {
    const PAIRS = 20;
    const pairs = await Promise.all(
      Array.from({ length: PAIRS }, async () => {
        const org = await createOrganization();
        const [decider, remover, requester] = await Promise.all([createUser(), createUser(), createUser()]);
        await grantRole(decider, org, 'SECURITY_OFFICIAL');
        await grantRole(remover, org, 'SECURITY_OFFICIAL');
        const submitted = await (await signIn(requester)).post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
        expect(submitted.status).toBe(201);
        const [asDecider, asRemover] = await Promise.all([signIn(decider), signIn(remover)]);
        return { org, decider, requestId: submitted.body.id as string, asDecider, asRemover };
      }),
    );
    const outcomes = await Promise.all(
      pairs.map(async (p) => {
        const [approve, remove] = await Promise.all([
          p.asDecider.post(`/api/v1/role-requests/${p.requestId}/approve`),
          p.asRemover.request('DELETE', `/api/v1/organizations/${p.org.id}/users/${p.decider.id}`),
        ]);
        return { p, approve, remove };
      }),
    );
    for (const { p, approve, remove } of outcomes) {
      expect(remove.status).toBe(200);
      expect([200, 403]).toContain(approve.status);
      const [removal] = await query<{ at: Date }>(db(), `SELECT occurred_at AS at, id FROM audit_events WHERE action = 'access.removed' AND subject_id = $1 AND organization_id = $2`, [p.decider.id, p.org.id]);
      const [request] = await query<{ status: string; decided_at: Date | null; decided_by_id: string | null }>(db(), 'SELECT status::text, decided_at, decided_by_id::text FROM role_requests WHERE id = $1', [p.requestId]);
      if (approve.status === 200) {
        // The approval won: it was recorded before the removal, by an official who still held the role.
        expect(request.status).toBe('APPROVED');
        expect(request.decided_by_id).toBe(p.decider.id);
        const [order] = await query<{ approved_first: boolean }>(
          db(),
          `SELECT (SELECT id FROM audit_events WHERE action = 'role-request.approved' AND subject_id = $1) <
                  (SELECT id FROM audit_events WHERE action = 'access.removed' AND subject_id = $2 AND organization_id = $3) AS approved_first`,
          [p.requestId, p.decider.id, p.org.id],
        );
        expect(order.approved_first).toBe(true);
      } else {
        expect(approve.body.error.code).toBe('FORBIDDEN');
        expect(request.status).toBe('PENDING');
      }
      expect(removal).toBeDefined();
    }
  });
});
