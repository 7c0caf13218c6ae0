// Issue 14: secrets are never stored or logged in the clear, and an API key cannot act for an
// account that may not act itself.
import { readFileSync } from 'node:fs';
import { query, totpCode } from '@am/devstack';
import { testStack } from '../setup/stack';
import { databaseDump, filesUnder } from '../support/at-rest';
import { newAccount, register, registerVerified, signInStep } from '../support/accounts';
import { anonymous, signIn, withKey } from '../support/api';
import { createOrganization, createUser, TEST_PASSWORD, TEST_TOTP_SECRET } from '../support/factories';

const db = () => testStack().databaseUrl;
const DEMO_PASSWORD = 'Demo#2026!access';
const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXP';


describe('secrets at rest', () => {
  it('keeps TOTP secrets, pending ones included, encrypted in the database', async () => {
    const account = await registerVerified(newAccount());
    const first = await signInStep(account.loginId, account.password);
    const issued = await anonymous.post('/api/v1/auth/mfa/enroll', { enrollmentToken: first.body.enrollmentToken });
    expect(issued.status).toBe(200);
    const secret: string = issued.body.secret;
    const [pending] = await query<{ pending_totp_secret: string }>(db(), 'SELECT pending_totp_secret FROM users WHERE login_id = $1', [account.loginId]);
    expect(pending.pending_totp_secret).toBeTruthy();
    expect(pending.pending_totp_secret).not.toContain(secret);
    const confirmed = await anonymous.post('/api/v1/auth/mfa/enroll/confirm', { enrollmentToken: first.body.enrollmentToken, code: totpCode(secret) });
    expect(confirmed.status).toBe(200);
    const [row] = await query<{ totp_secret: string }>(db(), 'SELECT totp_secret FROM users WHERE login_id = $1', [account.loginId]);
    expect(row.totp_secret).toBeTruthy();
    expect(row.totp_secret).not.toContain(secret);
    // No row of any user holds a secret in the clear (the demo's and the test factory's included).
    const plain = await query<{ n: number }>(db(), `SELECT count(*)::int AS n FROM users WHERE totp_secret ~ '^[A-Z2-7]{16,}$' OR pending_totp_secret ~ '^[A-Z2-7]{16,}$'`);
    expect(plain).toEqual([{ n: 0 }]);
  });

  it('never keeps an API key in the idempotency store: a replayed creation answers without it and says so', async () => {
    const helpDesk = await signIn(await createUser({ platformRole: 'HELP_DESK' }));
    const idempotencyKey = `create-key-${Date.now()}`;
    const create = () =>
      fetch(`${testStack().gatewayUrl}/api/v1/api-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${helpDesk.token}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify({ name: 'Replay check', scopes: ['organizations:read'] }),
      });
    const first = await create();
    expect(first.status).toBe(201);
    const created = (await first.json()) as { id: string; key: string };
    expect(created.key).toMatch(/^am_/);
    const replay = await create();
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const replayed = (await replay.json()) as { id: string; key?: string; keyWithheld?: string };
    expect(replayed.id).toBe(created.id);
    expect(replayed.key).toBeUndefined();
    expect(replayed.keyWithheld).toMatch(/shown once/);
    const stored = await query<{ response: unknown }>(db(), 'SELECT response FROM idempotency_keys WHERE key = $1', [idempotencyKey]);
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored[0].response)).not.toContain(created.key);
  });

  it('a full run leaves no demo password, TOTP secret or API key in the logs or the database', async () => {
    // This run's own uses of each secret, so the search has something to miss.
    const helpDesk = await signIn(await createUser({ platformRole: 'HELP_DESK' }));
    const created = await helpDesk.post('/api/v1/api-keys', { name: 'Log check', scopes: ['organizations:read'] });
    const org = await createOrganization();
    expect((await withKey(created.body.key, 'GET', `/api/v1/organizations/${org.id}`)).status).toBe(200);
    const demo = await signInStep('elizabeth.blackwell', DEMO_PASSWORD);
    expect([200, 401, 429]).toContain(demo.status);
    const account = await registerVerified(newAccount());
    const first = await signInStep(account.loginId, account.password);
    const issued = await anonymous.post('/api/v1/auth/mfa/enroll', { enrollmentToken: first.body.enrollmentToken });
    // A personal calendar feed URL (issue 19), used once: its token is a secret too.
    const feed = (await helpDesk.get('/api/v1/me/calendar-feed')).body.url as string;
    expect((await fetch(feed)).status).toBe(200);
    const feedToken = /\/(amcal_[^/]+)\.ics$/.exec(feed)![1];

    const secrets = [DEMO_PASSWORD, TEST_PASSWORD, account.password, DEMO_TOTP_SECRET, TEST_TOTP_SECRET, issued.body.secret as string, created.body.key as string, feedToken];
    const logs = filesUnder(testStack().logDir).map((f) => ({ f, text: readFileSync(f, 'utf8') }));
    expect(logs.length).toBeGreaterThan(3);
    const dump = await databaseDump(db());
    expect(dump.length).toBeGreaterThan(10_000);
    for (const s of secrets) {
      expect(logs.filter((l) => l.text.includes(s)).map((l) => l.f)).toEqual([]);
      expect(dump.includes(s)).toBe(false);
    }
  });
});

describe('API keys act only for accounts that may act', () => {
  it('refuses X-On-Behalf-Of an unverified or a disabled account (403 with the reason)', async () => {
    const helpDeskUser = await createUser({ platformRole: 'HELP_DESK' });
    const helpDesk = await signIn(helpDeskUser);
    const created = await helpDesk.post('/api/v1/api-keys', { name: 'Submitter', scopes: ['requests:submit'] });
    expect(created.status).toBe(201);
    const org = await createOrganization();
    const unverified = newAccount();
    expect((await register(unverified)).status).toBe(202);
    const asUnverified = await withKey(created.body.key, 'POST', '/api/v1/role-requests', { body: { organizationId: org.id, role: 'STAFF_USER' }, headers: { 'x-on-behalf-of': unverified.loginId } });
    expect(asUnverified.status).toBe(403);
    expect(asUnverified.body.error.code).toBe('EMAIL_NOT_VERIFIED');
    expect(asUnverified.body.error.message).toMatch(/not verified/);

    const disabledUser = await createUser();
    expect((await helpDesk.post(`/api/v1/users/${disabledUser.loginId}/disable`, { reason: 'left (ticket 7)' })).status).toBe(200);
    const asDisabled = await withKey(created.body.key, 'POST', '/api/v1/role-requests', { body: { organizationId: org.id, role: 'STAFF_USER' }, headers: { 'x-on-behalf-of': disabledUser.loginId } });
    expect(asDisabled.status).toBe(403);
    expect(asDisabled.body.error.code).toBe('ACCOUNT_DISABLED');
    const requests = await query<{ n: number }>(db(), 'SELECT count(*)::int AS n FROM role_requests WHERE organization_id = $1', [org.id]);
    expect(requests).toEqual([{ n: 0 }]);
  });
});
