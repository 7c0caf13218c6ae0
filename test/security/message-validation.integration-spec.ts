// Issue 16: every microservice handler validates its payload at the boundary. A process on the
// services' network that sends a malformed message straight to the directory or access-workflows
// (the real TCP transport, no gateway) is refused with VALIDATION_FAILED naming the field, the
// service stays up, and nothing changes.
import type { ClientProxy } from '@nestjs/microservices';
import { ACCESS_WORKFLOWS_PATTERNS, DIRECTORY_PATTERNS } from '@am/contracts';
import { accessWorkflowsPayloadExamples, directoryPayloadExamples, malformedPayloads } from '@am/service-kit';
import { query } from '@am/devstack';
import { testStack } from '../setup/stack';
import { createOrganization, createUser, grantRole } from '../support/factories';
import { send, tcpClient } from '../support/internal-transport';
import { WebhookReceiver } from '../support/webhook-receiver';
import { withoutSecret } from '../support/webhooks';
import { signIn } from '../support/api';

const db = () => testStack().databaseUrl;


/** Optional in the contract types; the proof is the verifier's to refuse (UNAUTHENTICATED). */
const OPTIONAL = new Set(['proof', 'reasonCode', 'justification', 'onBehalfOf', 'q', 'type', 'from', 'to', 'after', 'reason', 'removalId', 'name', 'organizationId', 'state', 'message', 'digestHour', 'timeZone']);
/** Access review reads (issue 18) page when asked; a campaign names an organization or reviews all. */
const ACCESS_REVIEW_READS = new Set<string>([DIRECTORY_PATTERNS.getAccessReview, DIRECTORY_PATTERNS.listAccessReviewCampaigns]);
const ORGANIZATION_OPTIONAL = new Set<string>([DIRECTORY_PATTERNS.listAudit, ACCESS_WORKFLOWS_PATTERNS.startAccessReviewCampaign, DIRECTORY_PATTERNS.createWebhook]);
/** Webhooks (issue 20): the API key is there only when a system asks; what a registration, a change or a list leaves out. */
const WEBHOOK_OPTIONAL: Record<string, string[]> = {
  [DIRECTORY_PATTERNS.createWebhook]: ['description'],
  [DIRECTORY_PATTERNS.listWebhooks]: ['page', 'pageSize'],
  [DIRECTORY_PATTERNS.updateWebhook]: ['events', 'paused', 'description'],
  [DIRECTORY_PATTERNS.listWebhookDeliveries]: ['status', 'page', 'pageSize'],
};
const isOptional = (pattern: string) => (field: string) =>
  (pattern.startsWith('directory.webhooks.') && (field === 'apiKeyId' || (WEBHOOK_OPTIONAL[pattern] ?? []).includes(field))) ||
  (ACCESS_REVIEW_READS.has(pattern) && (field === 'page' || field === 'pageSize')) ||
  (OPTIONAL.has(field) && !(field === 'reason' && pattern.startsWith('directory.accounts.')) && !(field === 'name' && pattern === DIRECTORY_PATTERNS.createApiKey) && !(field === 'organizationId' && !ORGANIZATION_OPTIONAL.has(pattern)));


describe('message validation at the services’ boundary (over the real TCP transport)', () => {
  let directory: ClientProxy;
  let workflows: ClientProxy;
  beforeAll(() => {
    directory = tcpClient('DIRECTORY_PORT');
    workflows = tcpClient('ACCESS_WORKFLOWS_PORT');
  });
  afterAll(async () => {
    await Promise.all([directory.close(), workflows.close()]);
  });

  const targets = [
    ...Object.entries(directoryPayloadExamples).map(([key, example]) => ({ service: 'directory' as const, key, pattern: DIRECTORY_PATTERNS[key as keyof typeof DIRECTORY_PATTERNS], example })),
    ...Object.entries(accessWorkflowsPayloadExamples).map(([key, example]) => ({ service: 'access-workflows' as const, key, pattern: ACCESS_WORKFLOWS_PATTERNS[key as keyof typeof ACCESS_WORKFLOWS_PATTERNS], example })),
  ];

  it.each(targets)('$pattern refuses malformed messages, naming the field', async ({ service, pattern, example }) => {
    const client = service === 'directory' ? directory : workflows;
    const failures: string[] = [];
    // Nest's client will not send a null payload at all (InvalidMessageException); the unit tests send it.
    for (const c of malformedPayloads(example as Record<string, unknown>, isOptional(pattern)).filter((m) => m.payload !== null)) {
      const got = await send(client, pattern, c.payload);
      if (got.ok || got.body?.code !== 'VALIDATION_FAILED' || got.body?.field !== c.field || typeof got.body?.message !== 'string') {
        failures.push(`${c.what}: ${got.ok ? 'accepted' : JSON.stringify(got.body).slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('changes nothing: a malformed help desk action, registration, removal or API key is refused before any of it', async () => {
    const org = await createOrganization();
    const [helpDesk, staff] = await Promise.all([createUser({ platformRole: 'HELP_DESK' }), createUser()]);
    await grantRole(staff, org, 'STAFF_USER');
    const loginId = `malformed-${Date.now()}`;

    const refusals = await Promise.all([
      send(directory, DIRECTORY_PATTERNS.disableAccount, { actorId: helpDesk.id, user: staff.loginId, reason: 'r'.repeat(501), proof: 'x' }),
      send(directory, DIRECTORY_PATTERNS.register, { loginId, displayName: 'Mal Formed', email: 'mal@example.com', password: 'correct horse battery staple', platformRole: 'HELP_DESK' }),
      send(directory, DIRECTORY_PATTERNS.createApiKey, { createdById: helpDesk.id, name: 'forged', scopes: ['requests:submit', 'everything'], rateLimitPerMinute: 60, proof: 'x' }),
      send(workflows, ACCESS_WORKFLOWS_PATTERNS.removeAccess, { organizationId: org.id, userId: { $ne: null }, removedById: helpDesk.id, proof: 'x' }),
    ]);
    expect(refusals.map((r) => [r.ok, r.body.code, r.body.field])).toEqual([
      [false, 'VALIDATION_FAILED', 'reason'],
      [false, 'VALIDATION_FAILED', 'platformRole'],
      [false, 'VALIDATION_FAILED', 'scopes.1'],
      [false, 'VALIDATION_FAILED', 'userId'],
    ]);

    const [state] = await query<{ disabled: boolean; registered: number; keys: number; roles: number }>(
      db(),
      `SELECT (SELECT disabled_at IS NOT NULL FROM users WHERE id = $1) AS disabled,
              (SELECT count(*)::int FROM users WHERE login_id = $2) AS registered,
              (SELECT count(*)::int FROM api_keys WHERE created_by_id = $3) AS keys,
              (SELECT count(*)::int FROM role_assignments WHERE user_id = $1) AS roles`,
      [staff.id, loginId, helpDesk.id],
    );
    expect(state).toEqual({ disabled: false, registered: 0, keys: 0, roles: 1 });
  });

  it('a message without a proof is still refused as unauthenticated, not as malformed', async () => {
    const helpDesk = await createUser({ platformRole: 'HELP_DESK' });
    const staff = await createUser();
    const bare = await send(directory, DIRECTORY_PATTERNS.resetTwoFactor, { actorId: helpDesk.id, user: staff.loginId, reason: 'no proof' });
    expect(bare.body.code).toBe('UNAUTHENTICATED');
  });

  it('email preferences (issue 19): a malformed change, or one without the gateway’s proof, changes nothing', async () => {
    const user = await createUser();
    const [malformed, unproven, forged] = await Promise.all([
      send(directory, DIRECTORY_PATTERNS.updateEmailPreferences, { userId: user.id, emailDigest: 'daily', timeZone: "America/New_York'; DROP TABLE users; --", proof: 'x' }),
      send(directory, DIRECTORY_PATTERNS.updateEmailPreferences, { userId: user.id, emailDigest: 'daily', digestHour: 3 }),
      send(directory, DIRECTORY_PATTERNS.updateEmailPreferences, { userId: user.id, emailDigest: 'daily', proof: 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln' }),
    ]);
    expect([malformed, unproven, forged].map((r) => [r.ok, r.body.code, r.body.field])).toEqual([
      [false, 'VALIDATION_FAILED', 'timeZone'],
      [false, 'UNAUTHENTICATED', undefined],
      [false, 'UNAUTHENTICATED', undefined],
    ]);
    const [row] = await query<{ email_digest: string; digest_hour: number; changes: number }>(
      db(),
      `SELECT email_digest::text, digest_hour, (SELECT count(*)::int FROM audit_events WHERE subject_id = $1::text AND action = 'user.email-preferences-changed') AS changes FROM users WHERE id = $1::uuid`,
      [user.id],
    );
    expect(row).toEqual({ email_digest: 'IMMEDIATE', digest_hour: 8, changes: 0 });
  });

  it('a calendar feed token is neither issued nor rotated for a bare user id: no proof, no token (issue 19)', async () => {
    const user = await createUser();
    const [shown, rotated] = await Promise.all([
      send(directory, DIRECTORY_PATTERNS.showCalendarFeed, { userId: user.id }),
      send(directory, DIRECTORY_PATTERNS.rotateCalendarFeed, { userId: user.id, proof: 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln' }),
    ]);
    expect([shown.ok, shown.body.code, rotated.ok, rotated.body.code]).toEqual([false, 'UNAUTHENTICATED', false, 'UNAUTHENTICATED']);
    const malformed = await send(directory, DIRECTORY_PATTERNS.resolveCalendarFeed, { token: 't'.repeat(201) });
    expect([malformed.ok, malformed.body.code, malformed.body.field]).toEqual([false, 'VALIDATION_FAILED', 'token']);
    const [{ n }] = await query<{ n: number }>(db(), 'SELECT count(*)::int AS n FROM calendar_feed_tokens WHERE user_id = $1::uuid', [user.id]);
    expect(n).toBe(0);
  });

  it('webhooks (issue 20): a malformed registration, change or redelivery is refused naming the field, and registers, changes or sends nothing', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      const [org, helpDeskUser] = await Promise.all([createOrganization(), createUser({ platformRole: 'HELP_DESK' })]);
      const helpDesk = await signIn(helpDeskUser);
      const existing = await helpDesk.post('/api/v1/webhooks', { url: receiver.url(`/kept/${org.id}`), events: ['access.removed'], organizationId: org.id });
      expect(existing.status).toBe(201);
      const before = withoutSecret(existing.body);
      const forged = receiver.url(`/malformed/${org.id}`);
      const base = { viewerId: helpDeskUser.id, url: forged, events: ['role-request.decided'], organizationId: org.id, proof: 'x' };

      const refusals = await Promise.all([
        send(directory, DIRECTORY_PATTERNS.createWebhook, { ...base, events: ['role-request.decided', 'everything'] }),
        send(directory, DIRECTORY_PATTERNS.createWebhook, { ...base, events: ['access.removed', 'access.removed', 'access.removed', 'access.removed', 'access.removed', 'access.removed', 'access.removed', 'access.removed', 'access.removed'] }),
        send(directory, DIRECTORY_PATTERNS.createWebhook, { ...base, url: `${forged}/${'p'.repeat(2048)}` }),
        send(directory, DIRECTORY_PATTERNS.createWebhook, { ...base, description: 'd'.repeat(501) }),
        send(directory, DIRECTORY_PATTERNS.createWebhook, { ...base, secret: 'whsec_chosenbytheattacker' }),
        send(directory, DIRECTORY_PATTERNS.createWebhook, { ...base, apiKeyId: "' OR 1=1 --" }),
        send(directory, DIRECTORY_PATTERNS.updateWebhook, { viewerId: helpDeskUser.id, id: existing.body.id, paused: 'yes', proof: 'x' }),
        send(directory, DIRECTORY_PATTERNS.updateWebhook, { viewerId: helpDeskUser.id, id: existing.body.id, url: forged, proof: 'x' }),
        send(directory, DIRECTORY_PATTERNS.redeliverWebhook, { viewerId: helpDeskUser.id, id: existing.body.id, deliveryId: "' OR 1=1 --", proof: 'x' }),
        send(directory, DIRECTORY_PATTERNS.listWebhookDeliveries, { viewerId: helpDeskUser.id, id: existing.body.id, status: 'ALL' }),
      ]);
      expect(refusals.map((r) => [r.ok, r.body.code, r.body.field])).toEqual([
        [false, 'VALIDATION_FAILED', 'events.1'],
        [false, 'VALIDATION_FAILED', 'events'],
        [false, 'VALIDATION_FAILED', 'url'],
        [false, 'VALIDATION_FAILED', 'description'],
        [false, 'VALIDATION_FAILED', 'secret'],
        [false, 'VALIDATION_FAILED', 'apiKeyId'],
        [false, 'VALIDATION_FAILED', 'paused'],
        [false, 'VALIDATION_FAILED', 'url'],
        [false, 'VALIDATION_FAILED', 'deliveryId'],
        [false, 'VALIDATION_FAILED', 'status'],
      ]);

      // The subscription is as it was, nothing was sent to it, and nothing was registered.
      expect((await helpDesk.get(`/api/v1/webhooks/${existing.body.id}`)).body).toEqual(before);
      expect((await helpDesk.get(`/api/v1/webhooks/${existing.body.id}/deliveries`)).body).toMatchObject({ items: [], total: 0 });
      const listed = await helpDesk.get('/api/v1/webhooks?pageSize=200');
      expect(listed.body.items.filter((w: { url: string }) => w.url.startsWith(forged))).toEqual([]);
      expect(receiver.requests).toEqual([]);
    } finally {
      await receiver.stop();
    }
  });

  it('both services still answer', async () => {
    expect((await send(directory, DIRECTORY_PATTERNS.health, {})).body).toMatchObject({ status: 'ok' });
    expect((await send(workflows, ACCESS_WORKFLOWS_PATTERNS.health, {})).body).toMatchObject({ status: 'ok' });
  });
});
