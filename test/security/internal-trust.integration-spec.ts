// Issue 14, internal trust: a process that reaches the services' TCP ports or Temporal without the
// gateway's key cannot act as anybody. Every command that acts for a person needs a caller proof
// that only the gateway can sign; forged, missing or misapplied proofs change nothing and are logged.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientProxy } from '@nestjs/microservices';
import { SignJWT } from 'jose';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { DIRECTORY_PATTERNS, proofTarget } from '@am/contracts';
import { query, waitFor } from '@am/devstack';
import { domainErrorIn, ROLE_REQUEST_WORKFLOW, roleRequestWorkflowId, submitUpdate, taskQueue } from '@am/workflow-contracts';
import { testStack } from '../setup/stack';
import { signIn } from '../support/api';
import { createOrganization, createUser, grantRole, type TestUser } from '../support/factories';
import { send, tcpClient } from '../support/internal-transport';
import { temporalClient } from '../support/temporal';
import { WebhookReceiver } from '../support/webhook-receiver';
import { withoutSecret } from '../support/webhooks';

const db = () => testStack().databaseUrl;


/** A proof signed with a key of the attacker's own, in the shape the gateway's proofs have. */
async function forgedProof(sub: string, action: string, target: string): Promise<string> {
  const { privateKey } = generateKeyPairSync('ed25519');
  return new SignJWT({ act: action, tgt: target })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'gateway-1' })
    .setSubject(sub)
    .setIssuer('am-gateway')
    .setAudience('am-services')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
}

async function pendingRequest(): Promise<{ requestId: string; official: TestUser; requester: TestUser; orgId: string }> {
  const org = await createOrganization();
  const [official, requester] = await Promise.all([createUser(), createUser()]);
  await grantRole(official, org, 'SECURITY_OFFICIAL');
  const submitted = await (await signIn(requester)).post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
  expect(submitted.status).toBe(201);
  return { requestId: submitted.body.id, official, requester, orgId: org.id };
}

async function statusOf(requestId: string): Promise<string> {
  const [row] = await query<{ status: string }>(db(), 'SELECT status::text FROM role_requests WHERE id = $1', [requestId]);
  return row.status;
}

function logOf(service: string): string {
  try {
    return readFileSync(join(testStack().logDir, `${service}.log`), 'utf8');
  } catch {
    return '';
  }
}

describe('internal trust: nobody acts as anybody else without the gateway', () => {
  let workflows: ClientProxy;
  let directory: ClientProxy;
  beforeAll(() => {
    workflows = tcpClient('ACCESS_WORKFLOWS_PORT');
    directory = tcpClient('DIRECTORY_PORT');
  });
  afterAll(async () => {
    await Promise.all([workflows.close(), directory.close()]);
  });

  it('a forged TCP decide message (bare decider id, or a proof signed with another key) approves nothing', async () => {
    const { requestId, official } = await pendingRequest();
    const bare = await send(workflows, 'access-workflows.role-requests.decide', { requestId, deciderId: official.id, decision: 'APPROVE' });
    expect(bare.ok).toBe(false);
    expect(bare.body.code).toBe('UNAUTHENTICATED');
    const forged = await send(workflows, 'access-workflows.role-requests.decide', {
      requestId,
      deciderId: official.id,
      decision: 'APPROVE',
      proof: await forgedProof(official.id, 'role-request.approve', requestId),
    });
    expect(forged.ok).toBe(false);
    expect(forged.body.code).toBe('UNAUTHENTICATED');
    expect(await statusOf(requestId)).toBe('PENDING');
    await waitFor('the refusals to be logged', async () => logOf('access-workflows').includes(requestId) && /caller proof/i.test(logOf('access-workflows')), 10_000);
  });

  it('a direct Temporal Update with a made-up decider changes nothing, and the directory logs the refusal', async () => {
    const { requestId, official } = await pendingRequest();
    const { client, close } = await temporalClient();
    try {
      const handle = client.workflow.getHandle(`role-request-${requestId}`);
      await expect(handle.executeUpdate('decide', { args: [{ deciderId: official.id, decision: 'APPROVE' }] })).rejects.toThrow();
      await expect(
        handle.executeUpdate('decide', { args: [{ deciderId: official.id, decision: 'APPROVE', proof: await forgedProof(official.id, 'role-request.approve', requestId) }] }),
      ).rejects.toThrow();
      const state = await handle.query<{ status: string }>('status');
      expect(state.status).toBe('PENDING');
    } finally {
      await close();
    }
    expect(await statusOf(requestId)).toBe('PENDING');
    const [granted] = await query<{ n: number }>(db(), 'SELECT count(*)::int AS n FROM role_assignments WHERE organization_id = (SELECT organization_id FROM role_requests WHERE id = $1) AND role = \'STAFF_USER\'', [requestId]);
    expect(granted.n).toBe(0);
    await waitFor('the directory to log the refusal', async () => logOf('directory').includes(requestId) && /caller proof/i.test(logOf('directory')), 10_000);
  });

  it('a submission sent straight to Temporal (Update-with-Start) with a forged proof records nothing: the workflow ends refused', async () => {
    const { orgId } = await pendingRequest();
    const stranger = await createUser();
    const requestId = randomUUID();
    const { client, close } = await temporalClient();
    try {
      const input = {
        requestId,
        requesterId: stranger.id,
        organizationId: orgId,
        role: 'SECURITY_OFFICIAL',
        taskQueues: { directory: taskQueue('directory', testStack().serviceEnv.TASK_QUEUE_PREFIX), notifications: taskQueue('notifications', testStack().serviceEnv.TASK_QUEUE_PREFIX) },
        timings: { firstReminderAfterMs: 86_400_000, reminderIntervalMs: 86_400_000, escalateWithReminder: 3, expireAfterMs: 30 * 86_400_000 },
        recordsSubmission: true,
      };
      const refused = await client.workflow
        .executeUpdateWithStart(submitUpdate, {
          args: [{ proof: await forgedProof(stranger.id, 'role-request.submit', proofTarget.submit(orgId, 'SECURITY_OFFICIAL')) }],
          startWorkflowOperation: new WithStartWorkflowOperation(ROLE_REQUEST_WORKFLOW, {
            workflowId: roleRequestWorkflowId(requestId),
            taskQueue: taskQueue('accessWorkflows', testStack().serviceEnv.TASK_QUEUE_PREFIX),
            workflowIdConflictPolicy: 'FAIL',
            args: [input],
          }),
        })
        .catch((e: unknown) => e);
      expect(domainErrorIn(refused)).toMatchObject({ code: 'UNAUTHENTICATED' });
    } finally {
      await close();
    }
    const rows = await query(db(), 'SELECT id FROM role_requests WHERE id = $1 OR requester_id = $2', [requestId, stranger.id]);
    expect(rows).toEqual([]);
  });

  it('a forged withdrawal, removal, submission or help desk account action changes nothing', async () => {
    const { requestId, official, requester, orgId } = await pendingRequest();
    const staff = await createUser();
    const org = { id: orgId };
    await grantRole(staff, { ...org, name: '', identifier: '' }, 'STAFF_USER');
    const helpDesk = await createUser({ platformRole: 'HELP_DESK' });
    const stranger = await createUser();

    const attempts = await Promise.all([
      send(workflows, 'access-workflows.role-requests.withdraw', { requestId, requesterId: requester.id }),
      send(workflows, 'access-workflows.removals.remove', { organizationId: orgId, userId: staff.id, removedById: official.id }),
      send(workflows, 'access-workflows.role-requests.submit', { requesterId: stranger.id, organizationId: orgId, role: 'SECURITY_OFFICIAL' }),
      send(directory, 'directory.accounts.disable', { actorId: helpDesk.id, user: official.loginId, reason: 'forged' }),
      send(directory, 'directory.accounts.reset-two-factor', { actorId: helpDesk.id, user: official.loginId, reason: 'forged' }),
      send(directory, 'directory.api-keys.create', { createdById: helpDesk.id, name: 'forged', scopes: ['requests:submit'], rateLimitPerMinute: 60 }),
      send(directory, 'directory.organizations.update-registration', { organizationId: orgId, userId: official.id, cmsWebInterface: true, cahpsSurvey: true }),
    ]);
    for (const a of attempts) {
      expect(a.ok).toBe(false);
      expect(a.body.code).toBe('UNAUTHENTICATED');
    }
    expect(await statusOf(requestId)).toBe('PENDING');
    const [state] = await query<{ staff: number; stranger_requests: number; disabled: boolean; enrolled: boolean; keys: number }>(
      db(),
      `SELECT (SELECT count(*)::int FROM role_assignments WHERE user_id = $1) AS staff,
              (SELECT count(*)::int FROM role_requests WHERE requester_id = $2) AS stranger_requests,
              (SELECT disabled_at IS NOT NULL FROM users WHERE id = $3) AS disabled,
              (SELECT totp_secret IS NOT NULL FROM users WHERE id = $3) AS enrolled,
              (SELECT count(*)::int FROM api_keys WHERE created_by_id = $4) AS keys`,
      [staff.id, stranger.id, official.id, helpDesk.id],
    );
    expect(state).toEqual({ staff: 1, stranger_requests: 0, disabled: false, enrolled: true, keys: 0 });
  });

  it('a proof read from one request’s history is refused on another request and for another action', async () => {
    const { requestId, official, orgId } = await pendingRequest();
    const otherRequester = await createUser();
    const other = await (await signIn(otherRequester)).post('/api/v1/role-requests', { organizationId: orgId, role: 'STAFF_USER' });
    expect(other.status).toBe(201);
    // The legitimate approval through the gateway: its proof is accepted.
    const approved = await (await signIn(official)).post(`/api/v1/role-requests/${requestId}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('APPROVED');

    const { client, close } = await temporalClient();
    try {
      // Whoever can read Temporal can read the proof the gateway minted for that approval ...
      const history = await client.workflow.getHandle(`role-request-${requestId}`).fetchHistory();
      const accepted = (history.events ?? []).find((e) => e.workflowExecutionUpdateAcceptedEventAttributes)?.workflowExecutionUpdateAcceptedEventAttributes;
      const [args] = (accepted?.acceptedRequest?.input?.args?.payloads ?? []).map((p) => defaultPayloadConverter.fromPayload<{ proof?: string }>(p));
      expect(typeof args?.proof).toBe('string');
      // ... and cannot use it for another request, nor to deny instead of approve.
      const handle = client.workflow.getHandle(`role-request-${other.body.id}`);
      await expect(handle.executeUpdate('decide', { args: [{ deciderId: official.id, decision: 'APPROVE', proof: args.proof }] })).rejects.toThrow();
      const replayed = await send(workflows, 'access-workflows.role-requests.decide', { requestId: other.body.id, deciderId: official.id, decision: 'APPROVE', proof: args.proof });
      expect(replayed.body.code).toBe('UNAUTHENTICATED');
      const asDeny = await send(workflows, 'access-workflows.role-requests.decide', { requestId, deciderId: official.id, decision: 'DENY', proof: args.proof });
      expect(asDeny.body.code).toBe('UNAUTHENTICATED');
    } finally {
      await close();
    }
    expect(await statusOf(other.body.id)).toBe('PENDING');
    expect(await statusOf(requestId)).toBe('APPROVED');
  });

  it('webhooks (issue 20): a registration, change, deletion, rotation, redelivery or ping without the gateway’s proof, or with a forged one, changes and sends nothing', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      const org = await createOrganization();
      const helpDeskUser = await createUser({ platformRole: 'HELP_DESK' });
      const helpDesk = await signIn(helpDeskUser);
      const existing = await helpDesk.post('/api/v1/webhooks', { url: receiver.url(`/trusted/${org.id}`), events: ['access.removed'], organizationId: org.id });
      expect(existing.status).toBe(201);
      const id = existing.body.id as string;
      const before = withoutSecret(existing.body);
      // A delivered ping, so that a redelivery has something to send again.
      const ping = await helpDesk.post(`/api/v1/webhooks/${id}/test`);
      expect(ping.status).toBe(202);
      await waitFor('the ping to be delivered', async () => (await helpDesk.get(`/api/v1/webhooks/${id}/deliveries?status=DELIVERED`)).body.total === 1, 30_000);
      const pathOf = (p: string) => new URL(receiver.url(p)).pathname;
      const receivedBefore = receiver.received((r) => r.path === pathOf(`/trusted/${org.id}`)).length;
      const forgedUrl = receiver.url(`/forged/${org.id}`);
      const viewerId = helpDeskUser.id;

      const commands: [string, Record<string, unknown>, string, string][] = [
        [DIRECTORY_PATTERNS.createWebhook, { viewerId, url: forgedUrl, events: ['role-request.decided'] }, 'webhook.create', proofTarget.webhooks()],
        [DIRECTORY_PATTERNS.updateWebhook, { viewerId, id, events: ['role-request.submitted'], paused: true }, 'webhook.update', proofTarget.webhook(id)],
        [DIRECTORY_PATTERNS.deleteWebhook, { viewerId, id }, 'webhook.delete', proofTarget.webhook(id)],
        [DIRECTORY_PATTERNS.rotateWebhookSecret, { viewerId, id }, 'webhook.rotate-secret', proofTarget.webhook(id)],
        [DIRECTORY_PATTERNS.redeliverWebhook, { viewerId, id, deliveryId: ping.body.id }, 'webhook.redeliver', proofTarget.webhook(id)],
        [DIRECTORY_PATTERNS.testWebhook, { viewerId, id }, 'webhook.test', proofTarget.webhook(id)],
      ];
      const answers = await Promise.all(
        commands.flatMap(([pattern, message, action, target]) => [
          send(directory, pattern, message).then((r) => ({ what: `${pattern} without a proof`, r })),
          forgedProof(viewerId, action, target).then((proof) => send(directory, pattern, { ...message, proof }).then((r) => ({ what: `${pattern} with a forged proof`, r }))),
        ]),
      );
      expect(answers.map(({ what, r }) => [what, r.ok, r.body.code])).toEqual(answers.map(({ what }) => [what, false, 'UNAUTHENTICATED']));

      // The subscription is as it was (same events, not paused, same secret, not deleted), no
      // delivery was added or sent again, and nothing was registered at the forged URL.
      expect((await helpDesk.get(`/api/v1/webhooks/${id}`)).body).toEqual(before);
      const deliveries = await helpDesk.get(`/api/v1/webhooks/${id}/deliveries`);
      expect(deliveries.body).toMatchObject({ total: 1, items: [{ id: ping.body.id, status: 'DELIVERED' }] });
      const listed = await helpDesk.get('/api/v1/webhooks?pageSize=200');
      expect(listed.body.items.filter((w: { url: string }) => w.url === forgedUrl)).toEqual([]);
      expect(receiver.received((r) => r.path === pathOf(`/trusted/${org.id}`))).toHaveLength(receivedBefore);
      expect(receiver.received((r) => r.path === pathOf(`/forged/${org.id}`))).toEqual([]);
    } finally {
      await receiver.stop();
    }
  });
});
