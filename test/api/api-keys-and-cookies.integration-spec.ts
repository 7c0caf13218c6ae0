// Issue 6: API keys for other systems (help desk managed, hashed, scoped, rate-limited), the web
// UI's cookie session with its CSRF token, and CORS from configuration, through the real gateway.
import { query, totpCode } from '@am/devstack';
import { testStack } from '../setup/stack';
import { signIn, withKey } from '../support/api';
import { createOrganization, createUser, grantRole, TEST_PASSWORD, TEST_TOTP_SECRET } from '../support/factories';

const url = (path: string) => `${testStack().gatewayUrl}${path}`;

describe('API keys', () => {
  it('are created by the help desk only, shown once, stored hashed, listed without secrets, and revoked', async () => {
    const helpDesk = await signIn(await createUser({ platformRole: 'HELP_DESK' }));
    const official = await createUser();
    await grantRole(official, await createOrganization(), 'SECURITY_OFFICIAL');
    const refused = await (await signIn(official)).post('/api/v1/api-keys', { name: 'mine', scopes: ['organizations:read'] });
    expect(refused.status).toBe(403);

    const bad = await helpDesk.post('/api/v1/api-keys', { name: 'x', scopes: ['everything'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'scopes' });

    const created = await helpDesk.post('/api/v1/api-keys', { name: 'Registry integration', scopes: ['organizations:read'] });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^am_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({ name: 'Registry integration', scopes: ['organizations:read'], rateLimitPerMinute: 60, revokedAt: null });
    const key: string = created.body.key;
    const [row] = await query<{ secret_hash: string }>(testStack().databaseUrl, 'SELECT secret_hash FROM api_keys WHERE id = $1', [created.body.id]);
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    // The secret is everything after the prefix (it may itself contain "_").
    expect(row.secret_hash).not.toContain(key.slice('am_'.length + 12 + 1));

    const listed = await helpDesk.get('/api/v1/api-keys');
    const mine = listed.body.find((k: { id: string }) => k.id === created.body.id);
    expect(mine).toMatchObject({ prefix: key.split('_').slice(0, 2).join('_') });
    expect(JSON.stringify(listed.body)).not.toContain(key);

    const org = await createOrganization();
    expect((await withKey(key, 'GET', `/api/v1/organizations/${org.id}`)).status).toBe(200);
    const revoked = await helpDesk.request('DELETE', `/api/v1/api-keys/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const after = await withKey(key, 'GET', `/api/v1/organizations/${org.id}`);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('UNAUTHENTICATED');
    const audited = await query<{ action: string }>(testStack().databaseUrl, `SELECT action FROM audit_events WHERE details->>'keyId' = $1 ORDER BY id`, [created.body.id]);
    expect(audited.map((a) => a.action)).toEqual(['api-key.created', 'api-key.revoked']);
    expect((await withKey(`${key.slice(0, -1)}x`, 'GET', `/api/v1/organizations/${org.id}`)).status).toBe(401);
  });

  it('reach only what their scopes allow, and submit requests on behalf of a named user', async () => {
    const helpDesk = await signIn(await createUser({ platformRole: 'HELP_DESK' }));
    const { body } = await helpDesk.post('/api/v1/api-keys', { name: 'Submitter', scopes: ['organizations:read', 'requests:submit'] });
    const key: string = body.key;
    const [org, requester] = await Promise.all([createOrganization(), createUser()]);

    expect((await withKey(key, 'GET', `/api/v1/organizations?q=${encodeURIComponent(org.name)}`)).body.items).toEqual([expect.objectContaining({ id: org.id })]);
    expect((await withKey(key, 'GET', `/api/v1/organizations/${org.id}/users`)).status).toBe(200);
    const me = await withKey(key, 'GET', '/api/v1/me');
    expect(me.status).toBe(403);
    expect(me.body.error.message).toContain('not for API keys');

    const noUser = await withKey(key, 'POST', '/api/v1/role-requests', { body: { organizationId: org.id, role: 'STAFF_USER' } });
    expect(noUser.status).toBe(400);
    expect(noUser.body.error.field).toBe('X-On-Behalf-Of');
    const submitted = await withKey(key, 'POST', '/api/v1/role-requests', { body: { organizationId: org.id, role: 'STAFF_USER' }, headers: { 'x-on-behalf-of': requester.loginId } });
    expect(submitted.status).toBe(201);
    expect(submitted.body.requester.id).toBe(requester.id);

    const read = await withKey(key, 'GET', `/api/v1/role-requests/${submitted.body.id}`);
    expect(read.status).toBe(403);
    expect(read.body.error.message).toBe('This API key lacks the scope requests:read');
    const approve = await withKey(key, 'POST', `/api/v1/role-requests/${submitted.body.id}/approve`, { body: {} });
    expect(approve.status).toBe(403);
  });

  it('are rate-limited per key with 429 and Retry-After', async () => {
    const helpDesk = await signIn(await createUser({ platformRole: 'HELP_DESK' }));
    const limited = (await helpDesk.post('/api/v1/api-keys', { name: 'Tiny', scopes: ['organizations:read'], rateLimitPerMinute: 3 })).body.key as string;
    const other = (await helpDesk.post('/api/v1/api-keys', { name: 'Other', scopes: ['organizations:read'], rateLimitPerMinute: 3 })).body.key as string;
    const org = await createOrganization();
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await withKey(limited, 'GET', `/api/v1/organizations/${org.id}`)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const throttled = await withKey(limited, 'GET', `/api/v1/organizations/${org.id}`);
    expect(throttled.body.error.code).toBe('THROTTLED');
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await withKey(other, 'GET', `/api/v1/organizations/${org.id}`)).status).toBe(200);
  });
});

describe('cookie sessions for the web UI', () => {
  it('keep the token out of scripts, require the CSRF token for changes, and end on sign-out', async () => {
    const user = await createUser();
    const org = await createOrganization();
    const first = (await (await fetch(url('/api/v1/auth/sign-in'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: user.loginId, password: TEST_PASSWORD, acceptStatementOfTruth: true }),
    })).json()) as { mfaToken: string };
    const mfa = await fetch(url('/api/v1/auth/mfa'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mfaToken: first.mfaToken, code: totpCode(TEST_TOTP_SECRET), session: 'cookie' }),
    });
    expect(mfa.status).toBe(200);
    const body = (await mfa.json()) as { accessToken?: string; csrfToken: string };
    expect(body.accessToken).toBeUndefined();
    expect(body.csrfToken).toEqual(expect.any(String));
    const setCookies = mfa.headers.getSetCookie();
    const session = setCookies.find((c) => c.startsWith('am_session='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Strict/i);
    expect(setCookies.find((c) => c.startsWith('am_csrf='))).not.toMatch(/HttpOnly/i);
    const cookie = setCookies.map((c) => c.split(';')[0]).join('; ');

    const me = await fetch(url('/api/v1/me'), { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { id: string }).id).toBe(user.id);

    const submit = (headers: Record<string, string>) =>
      fetch(url('/api/v1/role-requests'), { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ organizationId: org.id, role: 'STAFF_USER' }) });
    const forged = await submit({});
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { field: string } }).error.field).toBe('X-CSRF-Token');
    expect((await submit({ 'x-csrf-token': 'not-the-token' })).status).toBe(403);
    expect(await query(testStack().databaseUrl, 'SELECT id FROM role_requests WHERE requester_id = $1', [user.id])).toEqual([]);
    expect((await submit({ 'x-csrf-token': body.csrfToken })).status).toBe(201);

    const out = await fetch(url('/api/v1/auth/sign-out'), { method: 'POST', headers: { cookie, 'x-csrf-token': body.csrfToken } });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().some((c) => /^am_session=;/.test(c))).toBe(true);
    expect((await fetch(url('/api/v1/me'), { headers: { cookie } })).status).toBe(401);
  });
});

describe('CORS', () => {
  it('allows the configured origin with credentials and no other', async () => {
    const preflight = (origin: string) =>
      fetch(url('/api/v1/me'), { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    const allowed = await preflight('http://ui.example.test');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://ui.example.test');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await preflight('http://evil.example.test');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
