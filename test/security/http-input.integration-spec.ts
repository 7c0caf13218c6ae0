// Issue 14: bad input gets a clear answer on every route under /api/v1, before any route runs:
// malformed JSON 400 MALFORMED_JSON, a body over the limit 413 PAYLOAD_TOO_LARGE, a body that is
// not JSON 415 UNSUPPORTED_MEDIA_TYPE, each in the public error shape; never a 404, never a 5xx.
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { query } from '@am/devstack';
import { testStack } from '../setup/stack';
import { signIn } from '../support/api';
import { createOrganization, createUser, grantRole } from '../support/factories';
import { rawRequest, type RawAnswer } from '../support/http';

const LIMIT = 100 * 1024; // REQUEST_BODY_LIMIT_KB's default
const id = randomUUID();

/** Routes that take a JSON body, public and signed-in, with every method that takes one. */
const ROUTES: { method: string; path: string; auth: boolean }[] = [
  { method: 'POST', path: '/api/v1/auth/sign-in', auth: false },
  { method: 'POST', path: '/api/v1/auth/mfa', auth: false },
  { method: 'POST', path: '/api/v1/accounts', auth: false },
  { method: 'POST', path: '/api/v1/role-requests', auth: true },
  { method: 'POST', path: `/api/v1/role-requests/${id}/deny`, auth: true },
  // Issue 17: undo a denial, and bulk decisions.
  { method: 'POST', path: `/api/v1/role-requests/${id}/undo`, auth: true },
  { method: 'POST', path: '/api/v1/role-requests/decisions', auth: true },
  { method: 'DELETE', path: `/api/v1/organizations/${id}/users/${id}`, auth: true },
  { method: 'PUT', path: `/api/v1/organizations/${id}/registration`, auth: true },
  { method: 'POST', path: `/api/v1/notifications/${id}/read`, auth: true },
  { method: 'POST', path: '/api/v1/api-keys', auth: true },
  // Issue 20: webhook subscriptions, and the API's first PATCH.
  { method: 'POST', path: '/api/v1/webhooks', auth: true },
  { method: 'PATCH', path: `/api/v1/webhooks/${id}`, auth: true },
  // Not signed in: the body is refused before the session is asked for.
  { method: 'POST', path: '/api/v1/role-requests', auth: false },
];

const MALFORMED = ['{', '{"userId":', '[[[[[[[[', "{'userId':'a'}", '{"a":1,}', '{"a":1}}', '{"a":"\\x"}', 'nul', '"just a string"', '42', '   ', '\u0000\u0001'];

function expectError(res: RawAnswer, status: number, code: string, field?: string): void {
  expect({ status: res.status, code: res.json?.error?.code }).toEqual({ status, code });
  expect(typeof res.json.error.message).toBe('string');
  expect(res.json.error.message.length).toBeGreaterThan(0);
  if (field) expect(res.json.error.field).toBe(field);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
}

describe('HTTP input limits', () => {
  let token: string;
  beforeAll(async () => {
    token = (await signIn(await createUser())).token!;
  });
  const auth = (on: boolean): Record<string, string> => (on ? { authorization: `Bearer ${token}` } : {});

  it('answers malformed JSON with 400 MALFORMED_JSON on every route, and does not echo the body', async () => {
    for (const route of ROUTES) {
      for (const body of MALFORMED) {
        const res = await rawRequest({ ...route, headers: { 'content-type': 'application/json', ...auth(route.auth) }, body });
        expectError(res, 400, 'MALFORMED_JSON', 'body');
      }
    }
    // A GET's body is read too: malformed JSON there is as malformed.
    const get = await rawRequest({ method: 'GET', path: '/api/v1/me', headers: { 'content-type': 'application/json', ...auth(true) }, body: '{"oops' });
    expectError(get, 400, 'MALFORMED_JSON', 'body');
    const echoed = await rawRequest({ method: 'POST', path: '/api/v1/auth/sign-in', headers: { 'content-type': 'application/json' }, body: '{"userId":"<script>alert(1)</script>",' });
    expect(echoed.text).not.toContain('<script>');
  });

  it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE, however it is sent', async () => {
    const big = JSON.stringify({ userId: 'a', password: 'x'.repeat(300 * 1024), acceptStatementOfTruth: true });
    for (const route of ROUTES) {
      // Declared length, and chunked (no length: the gateway counts as it reads).
      expectError(await rawRequest({ ...route, headers: { 'content-type': 'application/json', ...auth(route.auth) }, body: big }), 413, 'PAYLOAD_TOO_LARGE', 'body');
      const chunks = Array.from({ length: 30 }, (_, i) => big.slice(i * 10_240, (i + 1) * 10_240 + (i === 29 ? big.length : 0)));
      expectError(await rawRequest({ ...route, headers: { 'content-type': 'application/json', ...auth(route.auth) }, chunks }), 413, 'PAYLOAD_TOO_LARGE', 'body');
    }
    // Compressed, the limit holds for what it inflates to (a small gzip bomb).
    const bomb = gzipSync(Buffer.from(JSON.stringify({ padding: ' '.repeat(2 * 1024 * 1024) })));
    expect(bomb.length).toBeLessThan(LIMIT);
    expectError(
      await rawRequest({ method: 'POST', path: '/api/v1/auth/sign-in', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb }),
      413,
      'PAYLOAD_TOO_LARGE',
      'body',
    );
    // A large body that is not JSON is too large first.
    expectError(await rawRequest({ method: 'POST', path: '/api/v1/auth/sign-in', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(LIMIT + 1) }), 413, 'PAYLOAD_TOO_LARGE');
    // Just under the limit is read, and answered by the route.
    const under = JSON.stringify({ userId: `nobody.${randomUUID()}`, password: 'x'.repeat(LIMIT - 200), acceptStatementOfTruth: true });
    expect(Buffer.byteLength(under)).toBeLessThan(LIMIT);
    const read = await rawRequest({ method: 'POST', path: '/api/v1/auth/sign-in', headers: { 'content-type': 'application/json' }, body: under });
    expect([400, 401]).toContain(read.status);
    expect(read.json.error.code).not.toMatch(/MALFORMED_JSON|PAYLOAD_TOO_LARGE|UNSUPPORTED_MEDIA_TYPE/);
  });

  it('answers a body that is not JSON with 415 UNSUPPORTED_MEDIA_TYPE on every route', async () => {
    const form = 'userId=a&password=b&acceptStatementOfTruth=true';
    const cases: { headers: Record<string, string>; body: string | Buffer; field: string }[] = [
      { headers: { 'content-type': 'text/plain' }, body: '{"userId":"a","password":"b","acceptStatementOfTruth":true}', field: 'content-type' },
      { headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: 'hello', field: 'content-type' },
      // The content types a cross-site form can send without CORS asking first.
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form, field: 'content-type' },
      { headers: { 'content-type': 'multipart/form-data; boundary=X' }, body: '--X\r\nContent-Disposition: form-data; name="userId"\r\n\r\na\r\n--X--\r\n', field: 'content-type' },
      { headers: {}, body: '{"userId":"a"}', field: 'content-type' },
      { headers: { 'content-type': 'application/xml' }, body: '<userId>a</userId>', field: 'content-type' },
      { headers: { 'content-type': 'application/json; charset=latin1' }, body: '{"userId":"a"}', field: 'content-type' },
      { headers: { 'content-type': 'application/json', 'content-encoding': 'compress' }, body: '{"userId":"a"}', field: 'content-encoding' },
    ];
    for (const route of ROUTES) {
      for (const c of cases) {
        const res = await rawRequest({ ...route, headers: { ...c.headers, ...auth(route.auth) }, body: c.body });
        expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', c.field);
      }
    }
  });

  it('still reads JSON, and takes an empty body of any type as no body', async () => {
    const json = await rawRequest({
      method: 'POST',
      path: '/api/v1/auth/sign-in',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ userId: `nobody.${randomUUID()}`, password: 'not the password', acceptStatementOfTruth: true }),
    });
    expectError(json, 401, 'UNAUTHENTICATED');
    const empty = await rawRequest({ method: 'POST', path: '/api/v1/auth/sign-out', headers: { 'content-type': 'text/plain' }, body: '' });
    expectError(empty, 401, 'UNAUTHENTICATED');
    const health = await rawRequest({ method: 'GET', path: '/health' });
    expect(health.status).toBe(200);
  });
});

// Issue 17: the bodies of bulk decisions. Each malformed one is refused whole, with a 400 naming the
// field and the rule, before any request of the batch is decided.
describe('bulk decision bodies', () => {
  const uuids = (n: number) => Array.from({ length: n }, () => randomUUID());

  it('refuses each malformed batch naming the field and the rule, and decides nothing of it', async () => {
    const org = await createOrganization();
    const [official, requester] = await Promise.all([createUser(), createUser()]);
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const [asOfficial, asRequester] = await Promise.all([signIn(official), signIn(requester)]);
    const submitted = await asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    expect(submitted.status).toBe(201);
    const real: string = submitted.body.id;
    const deny = { decision: 'DENY', reasonCode: 'WRONG_ROLE' };

    // field: the field the 400 must name (one of them, where either is right).
    const cases: { what: string; body: unknown; field: string | string[]; message: RegExp }[] = [
      { what: 'no decision', body: { requestIds: [real] }, field: 'decision', message: /^decision must be one of APPROVE, DENY$/ },
      { what: 'an unknown decision', body: { decision: 'MAYBE', requestIds: [real] }, field: 'decision', message: /^decision must be one of APPROVE, DENY$/ },
      { what: 'a decision in lower case', body: { decision: 'approve', requestIds: [real] }, field: 'decision', message: /^decision must be one of/ },
      { what: 'no requestIds', body: { decision: 'APPROVE' }, field: 'requestIds', message: /^requestIds must / },
      { what: 'requestIds not an array', body: { decision: 'APPROVE', requestIds: real }, field: 'requestIds', message: /^requestIds must be an array/ },
      { what: 'requestIds an object', body: { decision: 'APPROVE', requestIds: { 0: real, length: 1 } }, field: 'requestIds', message: /^requestIds must be an array/ },
      { what: 'no request named', body: { decision: 'APPROVE', requestIds: [] }, field: 'requestIds', message: /^requestIds must name at least 1 request$/ },
      { what: '101 requests', body: { decision: 'APPROVE', requestIds: [real, ...uuids(100)] }, field: 'requestIds', message: /^requestIds must name at most 100 requests$/ },
      { what: '2,400 requests (just under the body limit)', body: { decision: 'APPROVE', requestIds: [real, ...uuids(2399)] }, field: 'requestIds', message: /^requestIds must name at most 100 requests$/ },
      { what: 'a request twice', body: { decision: 'APPROVE', requestIds: [real, randomUUID(), real] }, field: 'requestIds', message: /^requestIds must not name a request twice$/ },
      { what: 'a request twice, in other case', body: { decision: 'APPROVE', requestIds: [real, real.toUpperCase()] }, field: 'requestIds', message: /^requestIds must not name a request twice$/ },
      { what: 'a non-UUID among them', body: { decision: 'APPROVE', requestIds: [real, 'not-a-uuid'] }, field: 'requestIds', message: /^requestIds must be UUIDs$/ },
      { what: 'a number among them', body: { decision: 'APPROVE', requestIds: [real, 42] }, field: 'requestIds', message: /^requestIds must be UUIDs$/ },
      { what: 'null among them', body: { decision: 'APPROVE', requestIds: [real, null] }, field: 'requestIds', message: /^requestIds must be UUIDs$/ },
      { what: 'nested objects', body: { decision: 'APPROVE', requestIds: [real, { id: randomUUID() }] }, field: 'requestIds', message: /^requestIds must be UUIDs$/ },
      { what: 'nested arrays', body: { decision: 'APPROVE', requestIds: [[real]] }, field: 'requestIds', message: /^requestIds must be UUIDs$/ },
      { what: 'an operator object', body: { decision: 'APPROVE', requestIds: [{ $ne: null }] }, field: 'requestIds', message: /^requestIds must be UUIDs$/ },
      { what: 'SQL in an id', body: { decision: 'APPROVE', requestIds: [`${real}' OR '1'='1`] }, field: 'requestIds', message: /^requestIds must be UUIDs$/ },
      { what: 'a reason code with APPROVE', body: { decision: 'APPROVE', requestIds: [real], reasonCode: 'WRONG_ROLE' }, field: 'reasonCode', message: /^reasonCode and reason go with DENY only/ },
      { what: 'a reason with APPROVE', body: { decision: 'APPROVE', requestIds: [real], reason: 'because' }, field: 'reason', message: /^reasonCode and reason go with DENY only/ },
      { what: 'an unknown reason code', body: { ...deny, reasonCode: 'BECAUSE', requestIds: [real] }, field: 'reasonCode', message: /^reasonCode must be one of NOT_AFFILIATED/ },
      { what: 'OTHER without a reason', body: { decision: 'DENY', reasonCode: 'OTHER', requestIds: [real] }, field: 'reason', message: /^reason is required when reasonCode is OTHER$/ },
      { what: 'OTHER with a blank reason', body: { decision: 'DENY', reasonCode: 'OTHER', reason: ' \t ', requestIds: [real] }, field: 'reason', message: /^reason is required when reasonCode is OTHER$/ },
      { what: 'a reason over 1000 characters', body: { ...deny, reason: 'x'.repeat(1001), requestIds: [real] }, field: 'reason', message: /^reason must be at most 1000 characters$/ },
      { what: 'a reason that is not text', body: { ...deny, reason: { text: 'x' }, requestIds: [real] }, field: 'reason', message: /^reason must be/ },
      { what: 'an unknown field', body: { ...deny, requestIds: [real], deciderId: randomUUID() }, field: 'deciderId', message: /^property deciderId should not exist$/ },
      // Prototype pollution: the key is refused, or it is dropped and has no effect (the decision it carries is still missing).
      {
        what: 'a __proto__ key carrying the decision',
        body: JSON.parse(`{"requestIds":["${real}"],"__proto__":{"decision":"APPROVE","isAdmin":true}}`),
        field: ['__proto__', 'decision'],
        message: /^(property __proto__ should not exist|decision must be one of APPROVE, DENY)$/,
      },
      {
        what: 'a constructor.prototype key carrying the decision',
        body: { requestIds: [real], constructor: { prototype: { decision: 'APPROVE' } } },
        field: ['constructor', 'decision'],
        message: /^(property constructor should not exist|decision must be one of APPROVE, DENY)$/,
      },
      { what: 'a bare array', body: [real], field: '0', message: /^property 0 should not exist$/ },
    ];
    const failures: string[] = [];
    for (const c of cases) {
      const res = await rawRequest({ method: 'POST', path: '/api/v1/role-requests/decisions', headers: { 'content-type': 'application/json', authorization: `Bearer ${asOfficial.token}` }, body: JSON.stringify(c.body) });
      const e = res.json?.error;
      const fields = typeof c.field === 'string' ? [c.field] : c.field;
      if (res.status !== 400 || e?.code !== 'VALIDATION_FAILED' || !fields.includes(e?.field) || !c.message.test(e?.message ?? '')) failures.push(`${c.what}: ${res.status} ${res.text.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);

    // A polluted prototype would let a body without a decision through: it is still refused.
    const after = await asOfficial.post('/api/v1/role-requests/decisions', { requestIds: [real] });
    expect(after.status).toBe(400);
    expect(after.body.error.field).toBe('decision');
    // Nothing of any refused batch was decided.
    const rows = await query(testStack().databaseUrl, `SELECT status::text FROM role_requests WHERE id = $1`, [real]);
    expect(rows).toEqual([{ status: 'PENDING' }]);
    const decided = await query(testStack().databaseUrl, `SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY id`, [real]);
    expect(decided).toEqual([{ action: 'role-request.submitted' }]);

    // And the same batch, well formed, is decided.
    const ok = await asOfficial.post('/api/v1/role-requests/decisions', { ...deny, requestIds: [real] });
    expect(ok.status).toBe(200);
    expect(ok.body.results).toEqual([{ requestId: real, status: 200, request: expect.objectContaining({ id: real, status: 'DENIED', reasonCode: 'WRONG_ROLE' }) }]);
  });

  it('refuses an undo of a malformed id naming the field', async () => {
    const api = await signIn(await createUser());
    for (const bad of ['not-a-uuid', '1', `${randomUUID()}x`]) {
      const res = await api.post(`/api/v1/role-requests/${encodeURIComponent(bad)}/undo`);
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({ code: 'VALIDATION_FAILED', message: 'id must be a UUID', field: 'id' });
    }
  });
});
