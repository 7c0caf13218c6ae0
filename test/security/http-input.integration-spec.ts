// Issue 14: bad input gets a clear answer on every route under /api/v1, before any route runs:
// malformed JSON 400 MALFORMED_JSON, a body over the limit 413 PAYLOAD_TOO_LARGE, a body that is
// not JSON 415 UNSUPPORTED_MEDIA_TYPE, each in the public error shape; never a 404, never a 5xx.
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { signIn } from '../support/api';
import { createUser } from '../support/factories';
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
  { method: 'DELETE', path: `/api/v1/organizations/${id}/users/${id}`, auth: true },
  { method: 'PUT', path: `/api/v1/organizations/${id}/registration`, auth: true },
  { method: 'POST', path: `/api/v1/notifications/${id}/read`, auth: true },
  { method: 'POST', path: '/api/v1/api-keys', auth: true },
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
