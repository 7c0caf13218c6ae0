// Issue 16: a submission is one durable step through its workflow. With Temporal unreachable the
// requester is answered 503 and nothing is written anywhere: no directory row, no audit event.
// The stack here has a Temporal dev server of its own, stopped halfway through.
import { join } from 'node:path';
import { freePort, query, resolveTemporalCli, startTemporalServer, type RunningServices, type TemporalServer } from '@am/devstack';
import { testStack } from '../setup/stack';
import { signIn } from '../support/api';
import { startExtraStack } from '../support/extra-stack';
import { createOrganization, createUser, grantRole } from '../support/factories';

describe('submitting while Temporal is unreachable', () => {
  let temporal: TemporalServer;
  let stack: RunningServices;

  beforeAll(async () => {
    temporal = await startTemporalServer({ cli: resolveTemporalCli()!, port: await freePort(), logFile: join(testStack().logDir, 'temporal-own.log') });
    stack = await startExtraStack('no-temporal', { TEMPORAL_ADDRESS: temporal.address });
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
    await temporal?.stop();
  });

  it('answers 201 while Temporal runs, then 503 once it is gone, having written nothing', async () => {
    const org = await createOrganization();
    const official = await createUser();
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const before = await createUser();
    const after = await createUser();
    const db = testStack().databaseUrl;

    const ok = await (await signIn(before, stack.gatewayUrl)).post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    expect(ok.status).toBe(201);

    const asAfter = await signIn(after, stack.gatewayUrl);
    await temporal.stop();
    const refused = await asAfter.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });

    const rows = await query<{ requester_id: string }>(db, 'SELECT requester_id::text FROM role_requests WHERE organization_id = $1', [org.id]);
    expect(rows).toEqual([{ requester_id: before.id }]);
    const audited = await query<{ n: number }>(db, `SELECT count(*)::int AS n FROM audit_events WHERE actor_id = $1 AND action = 'role-request.submitted'`, [after.id]);
    expect(audited).toEqual([{ n: 0 }]);
  });
});
