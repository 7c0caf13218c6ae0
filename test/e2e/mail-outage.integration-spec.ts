// Rule 14: the mail server is down while requests are submitted and decided through the gateway
// (and while someone registers and someone else asks for a password reset, issue 10). Decisions
// and in-app notices do not wait for it; every email is attempted, fails and is retried; once the
// SMTP server is back on the same port every email arrives, and each exactly once.
import { join } from 'node:path';
import { freePort, query, startMailCatcher, waitFor, type MailCatcher, type RunningServices } from '@am/devstack';
import { testStack } from '../setup/stack';
import { newAccount } from '../support/accounts';
import { Api, signIn } from '../support/api';
import { startExtraStack } from '../support/extra-stack';
import { createOrganization, createUser, grantRole } from '../support/factories';
import { recordHistoryIfAsked, temporalClient } from '../support/temporal';

interface LedgerRow extends Record<string, unknown> {
  idempotency_key: string;
  state: string;
  attempts: number;
  last_error: string | null;
  message_id: string;
}

describe('email across a mail server outage', () => {
  let mail: MailCatcher;
  let stack: RunningServices;
  let ports: { smtpPort: number; webPort: number };
  const logDir = () => join(testStack().logDir, 'mail-outage');

  beforeAll(async () => {
    ports = { smtpPort: await freePort(), webPort: await freePort() };
    mail = await startMailCatcher({ ...ports, logFile: join(logDir(), 'maildev-1.log') });
    // A whole stack of its own (own task queues), its notifications worker pointed at this SMTP server.
    stack = await startExtraStack('mail-outage', { SMTP_URL: mail.smtpUrl });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await mail?.stop();
  });

  const ledger = (keys: string[]) =>
    query<LedgerRow>(testStack().databaseUrl, 'SELECT idempotency_key, state, attempts, last_error, message_id FROM notifications.email_ledger WHERE idempotency_key = ANY($1)', [keys]);

  it('delays the mail, never loses it and never sends it twice', async () => {
    const org = await createOrganization();
    const officialUser = await createUser();
    await grantRole(officialUser, org, 'SECURITY_OFFICIAL');
    const official = await signIn(officialUser, stack.gatewayUrl);
    const requesters = await Promise.all([createUser(), createUser(), createUser()]);

    await mail.stop(); // the SMTP server goes down

    const requests = await Promise.all(
      requesters.map(async (u) => {
        const res = await (await signIn(u, stack.gatewayUrl)).post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
        expect(res.status).toBe(201);
        return { id: res.body.id as string, workflowId: res.body.workflowId as string };
      }),
    );
    const decisions = await Promise.all([
      official.post(`/api/v1/role-requests/${requests[0].id}/approve`),
      official.post(`/api/v1/role-requests/${requests[1].id}/approve`),
      official.post(`/api/v1/role-requests/${requests[2].id}/deny`, { reason: 'Not on our staff' }),
    ]);
    expect(decisions.map((d) => d.status)).toEqual([200, 200, 200]);

    // The approver's pop-ups do not wait for the mail server.
    await waitFor('the approver’s three decision notices while the mail server is down', async () => {
      const res = await official.get('/api/v1/notifications');
      return (res.body as any[]).filter((n) => n.kind === 'decision-confirmed').length === 3;
    });

    // Account emails (issue 10) go the same durable way: the answers do not wait for the mail server either.
    const anonymous = new Api(undefined, stack.gatewayUrl);
    const registrant = newAccount();
    const resetFor = await createUser();
    const registered = await anonymous.post('/api/v1/accounts', { userId: registrant.loginId, displayName: registrant.displayName, email: registrant.email, password: registrant.password });
    expect(registered.status).toBe(202);
    expect((await anonymous.post('/api/v1/accounts/forgot-password', { userId: resetFor.loginId })).status).toBe(202);
    const accountKeys = (
      await query<{ key: string }>(
        testStack().databaseUrl,
        `SELECT (CASE t.purpose WHEN 'VERIFY_EMAIL' THEN 'verify-email/' ELSE 'password-reset/' END) || t.id AS key
           FROM account_tokens t JOIN users u ON u.id = t.user_id WHERE u.login_id = ANY($1)`,
        [[registrant.loginId, resetFor.loginId]],
      )
    ).map((r) => r.key);
    expect(accountKeys).toHaveLength(2);

    const keys = [
      ...requests.flatMap((r) =>
        ['submitted/requester', `submitted/approver/${officialUser.id}`, 'decided/requester', `decided/approver/${officialUser.id}`].map((k) => `role-request-${r.id}/${k}`),
      ),
      ...accountKeys,
    ];
    // Every email was tried, failed, and tried again, while nothing could be sent.
    await waitFor(
      'every email to have failed at least twice',
      async () => {
        const rows = await ledger(keys);
        return rows.length === keys.length && rows.every((r) => r.state === 'PENDING' && r.attempts >= 2 && r.last_error);
      },
      90_000,
      250,
    );

    mail = await startMailCatcher({ ...ports, logFile: join(logDir(), 'maildev-2.log') }); // back, same port

    await waitFor('every email in the ledger to be SENT', async () => (await ledger(keys)).every((r) => r.state === 'SENT'), 120_000, 250);
    // The workflows are done: no attempt is left that could still send a copy.
    const { client, close } = await temporalClient();
    try {
      await Promise.all(requests.map((r) => client.workflow.getHandle(r.workflowId).result()));
      // The path with notifications that do not block (patch "notifications-do-not-block").
      await recordHistoryIfAsked(client, requests[0].workflowId, 'submitted-approve-during-mail-outage');
    } finally {
      await close();
    }

    const msgs = await mail.messages();
    const byKey = new Map<string, number>();
    for (const m of msgs) byKey.set(m.headers['x-idempotency-key'], (byKey.get(m.headers['x-idempotency-key']) ?? 0) + 1);
    expect([...byKey.keys()].sort()).toEqual([...keys].sort());
    expect([...byKey.values()].every((n) => n === 1)).toBe(true);
    expect(msgs).toHaveLength(keys.length);
    // Each arrived under the Message-ID its ledger row recorded, one per email.
    const rows = await ledger(keys);
    const idOf = new Map(rows.map((r) => [r.idempotency_key, r.message_id]));
    for (const m of msgs) expect(m.headers['message-id']).toBe(idOf.get(m.headers['x-idempotency-key']));
    expect(new Set(msgs.map((m) => m.headers['message-id'])).size).toBe(keys.length);

    // The delayed verification link still works, and the ledger kept no working token.
    const verifyMail = msgs.find((m) => m.to.some((t) => t.address === registrant.email))!;
    const token = /#token=([A-Za-z0-9_-]{43})/.exec(verifyMail.text)![1];
    expect((await anonymous.post('/api/v1/accounts/verify-email', { token })).status).toBe(200);
    const kept = await query<{ text: string }>(testStack().databaseUrl, 'SELECT text FROM notifications.email_ledger WHERE idempotency_key = ANY($1)', [accountKeys]);
    for (const r of kept) expect(r.text).toContain('#token=removed-after-sending');
  }, 300_000);
});
