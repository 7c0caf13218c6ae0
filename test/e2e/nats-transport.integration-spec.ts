// The same slice with the services talking over NATS instead of TCP (TRANSPORT=nats), against a
// real nats-server: submit, approve through the Temporal Update, role granted, email received.
import { join } from 'node:path';
import { freePort, query, resolveNatsServer, startNatsServer, type NatsServer, type RunningServices } from '@am/devstack';
import { testStack } from '../setup/stack';
import { mailbox, signIn } from '../support/api';
import { startExtraStack } from '../support/extra-stack';
import { createOrganization, createUser, grantRole } from '../support/factories';

describe('services over NATS', () => {
  let nats: NatsServer;
  let services: RunningServices;

  beforeAll(async () => {
    const binary = resolveNatsServer();
    if (!binary) throw new Error('nats-server is not installed (Debian package nats-server); .ci/run installs it');
    nats = await startNatsServer({ binary, port: await freePort(), logFile: join(testStack().logDir, 'nats.log') });
    services = await startExtraStack('nats', { TRANSPORT: 'nats', NATS_URL: nats.url });
  }, 120_000);

  afterAll(async () => {
    await services?.stop();
    await nats?.stop();
  });

  it('runs the request slice end to end', async () => {
    const org = await createOrganization();
    const official = await createUser({ displayName: 'Nora Nats' });
    const requester = await createUser();
    await grantRole(official, org, 'SECURITY_OFFICIAL');

    const asRequester = await signIn(requester, services.gatewayUrl);
    const submitted = await asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    expect(submitted.status).toBe(201);
    expect(submitted.body.approvers).toEqual(['Nora Nats']);

    const approved = await (await signIn(official, services.gatewayUrl)).post(`/api/v1/role-requests/${submitted.body.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('APPROVED');

    const rows = await query(testStack().databaseUrl, 'SELECT role FROM role_assignments WHERE user_id = $1', [requester.id]);
    expect(rows).toEqual([{ role: 'STAFF_USER' }]);
    const email = await mailbox().waitForMessage((m) => m.to.some((t) => t.address === requester.email) && !m.subject.endsWith('was submitted'));
    expect(email.subject).toContain('was approved');

    const health = await fetch(`${services.gatewayUrl}/health`).then((r) => r.json() as Promise<{ status: string }>);
    expect(health.status).toBe('ok');
  });
});
