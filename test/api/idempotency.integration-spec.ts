// Idempotency-Key on POST: a retry with the same key returns the first result and does nothing
// twice, also when the retries arrive at the same time.
import { randomUUID } from 'node:crypto';
import { query } from '@am/devstack';
import { testStack } from '../setup/stack';
import { signIn } from '../support/api';
import { createOrganization, createUser, grantRole } from '../support/factories';

async function post(token: string | undefined, path: string, body: unknown, key?: string) {
  const res = await fetch(`${testStack().gatewayUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: (await res.json()) as any };
}

/** A requester signed in, a fresh key, and their submission of a Staff User request at an organization of their own. */
async function aRequester() {
  const org = await createOrganization();
  const requester = await createUser();
  const { token } = await signIn(requester);
  const submit = (key?: string) => post(token, '/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' }, key);
  return { requester, submit, key: randomUUID() };
}

describe('Idempotency-Key', () => {
  it('returns the first result to a retry and submits once', async () => {
    const { requester, submit, key } = await aRequester();
    const first = await submit(key);
    const retry = await submit(key);
    expect(first.status).toBe(201);
    expect(first.replayed).toBeNull();
    expect(retry).toEqual({ status: 201, replayed: 'true', body: first.body });
    const rows = await query(testStack().databaseUrl, 'SELECT id FROM role_requests WHERE requester_id = $1', [requester.id]);
    expect(rows).toEqual([{ id: first.body.id }]);
  });

  it('does the work once under concurrent retries', async () => {
    const { requester, submit, key } = await aRequester();
    const results = await Promise.all(Array.from({ length: 10 }, () => submit(key)));
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.replayed === null)).toHaveLength(1);
    const rows = await query(testStack().databaseUrl, 'SELECT 1 FROM role_requests WHERE requester_id = $1', [requester.id]);
    expect(rows).toHaveLength(1);
  });

  /** As if the gateway instance holding the claim had been killed mid-request, long enough ago that the claim has lapsed. */
  async function cutOff(principal: string, key: string) {
    const cut = await query(
      testStack().databaseUrl,
      `UPDATE idempotency_keys SET completed_at = NULL, status_code = NULL, response = NULL, created_at = now() - interval '10 minutes'
       WHERE principal = $1 AND key = $2 RETURNING key`,
      [principal, key],
    );
    expect(cut).toHaveLength(1);
  }

  it('lets a retry take over a claim whose attempt was cut off, and the retry finds the request that attempt made', async () => {
    const { requester, submit, key } = await aRequester();
    const first = await submit(key);
    expect(first.status).toBe(201);
    await cutOff(requester.id, key);
    // Run again (not replayed: the claim had no answer), it names the same request and makes no second.
    const retry = await submit(key);
    expect(retry.status).toBe(201);
    expect(retry.replayed).toBeNull();
    expect(retry.body.id).toBe(first.body.id);
    expect(await query(testStack().databaseUrl, 'SELECT id FROM role_requests WHERE requester_id = $1', [requester.id])).toEqual([{ id: first.body.id }]);
    // Without the key the same submission is a second request, refused as a duplicate.
    expect((await submit()).body.error.code).toBe('DUPLICATE_PENDING_REQUEST');
  });

  it('answers a cut-off decision’s retry with the decision it recorded, once', async () => {
    const org = await createOrganization();
    const [requester, official] = [await createUser(), await createUser()];
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const submitted = await post((await signIn(requester)).token, '/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    const { token } = await signIn(official);
    const key = randomUUID();
    const first = await post(token, `/api/v1/role-requests/${submitted.body.id}/approve`, {}, key);
    expect(first.status).toBe(200);
    await cutOff(official.id, key);
    const retry = await post(token, `/api/v1/role-requests/${submitted.body.id}/approve`, {}, key);
    expect(retry).toMatchObject({ status: 200, replayed: null, body: { id: submitted.body.id, status: 'APPROVED', decidedBy: { id: official.id } } });
    const approvals = await query(testStack().databaseUrl, `SELECT id FROM audit_events WHERE action = 'role-request.approved' AND subject_id = $1`, [submitted.body.id]);
    expect(approvals).toHaveLength(1);
  });

  it('keeps a refusal as the answer, and refuses the key for a different request', async () => {
    const org = await createOrganization();
    const requester = await createUser();
    const official = await createUser();
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const submitted = await (await signIn(requester)).post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    const { token } = await signIn(requester);
    const key = randomUUID();
    const own = await post(token, `/api/v1/role-requests/${submitted.body.id}/approve`, {}, key);
    expect(own.status).toBe(403);
    const again = await post(token, `/api/v1/role-requests/${submitted.body.id}/approve`, {}, key);
    expect(again).toEqual({ status: 403, replayed: 'true', body: own.body });

    const other = await post(token, '/api/v1/role-requests', { organizationId: org.id, role: 'SECURITY_OFFICIAL' }, key);
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'Idempotency-Key' });
  });

  it('names the header when the key is malformed', async () => {
    const { token } = await signIn(await createUser());
    const res = await post(token, '/api/v1/role-requests', {}, ' has spaces ');
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('Idempotency-Key');
  });
});
