// Sends thousands of malformed requests across every endpoint of the OpenAPI document, signed in
// and not: nothing may answer 5xx, every error keeps the public error shape, and the gateway and
// the services stay up. Generated with fast-check from a fixed seed, so a failure reproduces.
// The second test sends bodies the gateway must refuse before any route runs (malformed JSON,
// too large, not JSON) to every operation, and asserts the exact status and error code of each.
import fc from 'fast-check';
import { DENY_REASON_CODES, isTimeZone, WEBHOOK_EVENT_TYPES } from '@am/contracts';
import { query } from '@am/devstack';
import { testStack } from '../setup/stack';
import { signIn, withKey } from '../support/api';
import { createOrganization, createUser, grantRole } from '../support/factories';
import { rawRequest } from '../support/http';
import { WebhookReceiver } from '../support/webhook-receiver';
import { withoutSecret } from '../support/webhooks';

const TOTAL = 2_000;
const CONCURRENCY = 8;

interface Case {
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  auth: boolean;
}

const pathParam = fc.oneof(
  fc.uuid(),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('..%2F..%2Fetc%2Fpasswd', '%00', '9'.repeat(400), 'null', '-1', '💥', "' OR 1=1 --"),
);
const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(fc.constantFrom('userId', 'password', 'acceptStatementOfTruth', 'mfaToken', 'code', 'organizationId', 'role', 'justification', 'reason', 'name', 'cmsWebInterface', 'cahpsSurvey', 'decision', 'requestIds', 'reasonCode', 'message', 'emailDigest', 'digestHour', 'timeZone', 'url', 'events', 'paused', 'description', '__proto__', 'constructor'), fc.jsonValue({ maxDepth: 2 })),
);
const rawBody = fc.oneof(
  jsonBody.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{', '{"a":', '[[[[[[[[[[', 'x'.repeat(150_000), '\u0000\u0001'),
);

/** REQUEST_BODY_LIMIT_KB's default. */
const BODY_LIMIT = 100 * 1024;
const BODY_TOTAL = 1_200;

type BodyKind = 'malformed' | 'oversize' | 'not-json' | 'bad-charset';
interface BodyCase {
  kind: BodyKind;
  method: string;
  path: string;
  contentType?: string;
  body: string;
  chunked: boolean;
  auth: boolean;
}

/**
 * What the gateway must answer, from the request alone (body-parser's order: charset, size, then
 * syntax): undefined when the body is acceptable JSON and the route decides.
 */
function expectedRefusal(c: BodyCase): { status: number; code: string } | undefined {
  const [type, ...params] = (c.contentType ?? '').split(';').map((p) => p.trim().toLowerCase());
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length);
  const bytes = Buffer.byteLength(c.body);
  if (type === 'application/json') {
    if (charset && !charset.startsWith('utf-')) return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' };
    if (bytes > BODY_LIMIT) return { status: 413, code: 'PAYLOAD_TOO_LARGE' };
    if (bytes === 0) return undefined;
    try {
      // Strict JSON: an object or an array, as body-parser reads it.
      const v: unknown = JSON.parse(Buffer.from(c.body).toString('utf8'));
      const first = c.body.replace(/^[ \t\n\r]+/, '')[0];
      if (typeof v === 'object' && v !== null && (first === '{' || first === '[')) return undefined;
    } catch {
      /* malformed */
    }
    return { status: 400, code: 'MALFORMED_JSON' };
  }
  if (bytes === 0) return undefined;
  return bytes > BODY_LIMIT ? { status: 413, code: 'PAYLOAD_TOO_LARGE' } : { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' };
}

const jsonText = fc.oneof(fc.object({ maxDepth: 2 }), fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1 })).map((v) => JSON.stringify(v));
const malformedJson = fc.oneof(
  // Any proper prefix of a serialized object or array is malformed.
  jsonText.filter((t) => t.length > 1).chain((t) => fc.nat({ max: t.length - 2 }).map((n) => t.slice(0, n + 1))),
  jsonText.map((t) => `${t}}`),
  jsonText.map((t) => t.replace(/"/g, "'")).filter((t) => t.includes("'")),
  fc.string({ minLength: 1, maxLength: 200 }),
  fc.jsonValue().filter((v) => typeof v !== 'object' || v === null).map((v) => JSON.stringify(v)),
  fc.constantFrom('{', '{"a":', '[[[[[[[[[[', '{"a":1,}', 'nul', '   ', '\u0000\u0001', '{"a":"\\x"}', 'NaN'),
);
const oversize = fc.integer({ min: BODY_LIMIT + 1, max: 3 * BODY_LIMIT }).chain((size) =>
  fc.constantFrom('x', '{"a":"', ' ').map((start) => (start + 'y'.repeat(size)).slice(0, size)),
);
const notJsonType = fc.constantFrom('text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/csv', 'application/json-patch+json', undefined);
const jsonType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'Application/JSON');

describe('fuzzing the public API', () => {
  it(`answers ${TOTAL} malformed requests without a 5xx and stays up`, async () => {
    const { gatewayUrl } = testStack();
    const doc = await fetch(`${gatewayUrl}/api/docs-json`).then((r) => r.json() as Promise<{ paths: Record<string, Record<string, unknown>> }>);
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })));
    expect(operations.length).toBeGreaterThan(5);
    const token = (await signIn(await createUser())).token;

    const cases = fc.sample(
      fc.record({
        op: fc.constantFrom(...operations),
        param: pathParam,
        body: fc.option(rawBody, { nil: undefined }),
        contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', undefined),
        auth: fc.boolean(),
        query: fc.option(fc.dictionary(fc.constantFrom('q', 'page', 'pageSize', 'type', 'name', 'unread', 'from', 'to', 'organizationId', 'status'), fc.string({ maxLength: 30 })), { nil: undefined }),
      }),
      { numRuns: TOTAL, seed: 20261123 },
    ).map(({ op, param, body, contentType, auth, query }): Case => {
      const path = op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(param)) + (query ? `?${new URLSearchParams(query)}` : '');
      return { method: op.method, path, body: op.method === 'GET' || op.method === 'HEAD' ? undefined : body, contentType, auth };
    });

    const failures: string[] = [];
    let next = 0;
    async function worker() {
      while (next < cases.length) {
        const c = cases[next++];
        const res = await fetch(`${gatewayUrl}${c.path}`, {
          method: c.method,
          headers: { ...(c.contentType ? { 'content-type': c.contentType } : {}), ...(c.auth ? { authorization: `Bearer ${token}` } : {}) },
          body: c.body,
        });
        // A Server-Sent Events stream (GET /api/v1/notifications/stream) never ends by design: its
        // 200 and content type are the answer; close it instead of reading it to the end.
        if (res.status === 200 && res.headers.get('content-type')?.startsWith('text/event-stream')) {
          await res.body?.cancel();
          continue;
        }
        const text = await res.text();
        const isJsonError = res.status < 400 || (() => {
          try {
            const b = JSON.parse(text);
            return typeof b.error?.code === 'string' && typeof b.error?.message === 'string';
          } catch {
            return false;
          }
        })();
        if (res.status >= 500 || !isJsonError) failures.push(`${c.method} ${c.path.slice(0, 120)} (auth ${c.auth}, ${c.contentType}) -> ${res.status} ${text.slice(0, 200)}`);
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    expect(failures).toEqual([]);
    const health = await fetch(`${gatewayUrl}/health`);
    expect(health.status).toBe(200);
  }, 300_000);

  it(`refuses ${BODY_TOTAL} unreadable bodies on every operation with the exact status and code, before any route runs`, async () => {
    const { gatewayUrl } = testStack();
    const doc = await fetch(`${gatewayUrl}/api/docs-json`).then((r) => r.json() as Promise<{ paths: Record<string, Record<string, unknown>> }>);
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })));
    const token = (await signIn(await createUser())).token;

    const body = fc.oneof(
      fc.record({ kind: fc.constant<BodyKind>('malformed'), contentType: jsonType, body: malformedJson }),
      fc.record({ kind: fc.constant<BodyKind>('oversize'), contentType: fc.oneof(jsonType, notJsonType), body: oversize }),
      fc.record({ kind: fc.constant<BodyKind>('not-json'), contentType: notJsonType, body: fc.oneof(jsonText, fc.string({ minLength: 1, maxLength: 200 })) }),
      fc.record({ kind: fc.constant<BodyKind>('bad-charset'), contentType: fc.constantFrom('application/json; charset=latin1', 'application/json; charset=iso-8859-1', 'application/json;charset=ascii'), body: jsonText }),
    );
    const cases = fc
      .sample(fc.record({ op: fc.constantFrom(...operations), param: pathParam, body, chunked: fc.boolean(), auth: fc.boolean() }), { numRuns: BODY_TOTAL, seed: 20261201 })
      .map(({ op, param, body, chunked, auth }): BodyCase => ({ ...body, method: op.method, path: op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(param)), chunked, auth }));

    const failures: string[] = [];
    const refusedAt = new Map<string, Set<string>>();
    let next = 0;
    async function worker() {
      while (next < cases.length) {
        const c = cases[next++];
        const headers = { ...(c.contentType ? { 'content-type': c.contentType } : {}), ...(c.auth ? { authorization: `Bearer ${token}` } : {}) };
        const bytes = Buffer.from(c.body, 'utf8');
        const res = await rawRequest({ method: c.method, path: c.path, headers, ...(c.chunked ? { chunks: [bytes.subarray(0, 10), bytes.subarray(10)].filter((b) => b.length > 0) } : { body: bytes }) });
        const want = expectedRefusal(c);
        const got = { status: res.status, code: res.json?.error?.code as string | undefined };
        const what = `${c.kind}: ${c.method} ${c.path.slice(0, 80)} (${c.contentType}, ${Buffer.byteLength(c.body)} bytes${c.chunked ? ', chunked' : ''}, auth ${c.auth}) body ${JSON.stringify(c.body.slice(0, 40))}`;
        if (want) {
          if (got.status !== want.status || got.code !== want.code || typeof res.json?.error?.message !== 'string') {
            failures.push(`${what} -> ${res.status} ${res.text.slice(0, 160)}, expected ${want.status} ${want.code}`);
          } else {
            const ops = refusedAt.get(want.code) ?? new Set<string>();
            refusedAt.set(want.code, ops.add(`${c.method} ${c.path.split('/').slice(0, 5).join('/')}`));
          }
        } else if (res.status >= 500 || ['MALFORMED_JSON', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'].includes(got.code ?? '')) {
          failures.push(`${what} -> ${res.status} ${res.text.slice(0, 160)}, expected the route's own answer`);
        }
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    expect(failures).toEqual([]);
    // Every refusal was seen, on many operations (so the test cannot pass by sending nothing).
    for (const code of ['MALFORMED_JSON', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE']) expect(refusedAt.get(code)?.size ?? 0).toBeGreaterThanOrEqual(Math.min(15, operations.length));
    const health = await fetch(`${gatewayUrl}/health`);
    expect(health.status).toBe(200);
  }, 300_000);

  it('answers 300 nomination bodies with 201 or a refusal naming the field, never a 5xx, and nominates only a real account, once', async () => {
    const { gatewayUrl } = testStack();
    const [org, official, staff] = await Promise.all([createOrganization(), createUser(), createUser()]);
    await Promise.all([grantRole(official, org, 'SECURITY_OFFICIAL'), grantRole(staff, org, 'STAFF_USER')]);
    const api = await signIn(official);
    const userId = fc.oneof(
      fc.uuid(),
      fc.string({ maxLength: 120 }),
      fc.constantFrom(staff.id, staff.loginId, official.id, official.loginId, "' OR 1=1 --", '', 'u'.repeat(101)),
      fc.jsonValue({ maxDepth: 1 }),
    );
    const message = fc.oneof(fc.string({ maxLength: 1100 }), fc.constant('m'.repeat(1001)), fc.jsonValue({ maxDepth: 1 }));
    const extra = fc.constantFrom('role', 'organizationId', 'nominatorId', 'proof');
    const bodies = fc.sample(fc.record({ userId, message, extra, extraValue: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }), { numRuns: 300, seed: 20261218 });

    // The staff user nominated first: every later body naming them is ALREADY_NOMINATED, so none may answer 201.
    const first = await api.post(`/api/v1/organizations/${org.id}/nominations`, { userId: staff.loginId, message: 'Be our backup' });
    expect(first.status).toBe(201);
    const failures: string[] = [];
    const refusedCodes = new Set<string>();
    for (const b of bodies) {
      const body: Record<string, unknown> = {};
      if ('userId' in b) body.userId = b.userId;
      if ('message' in b) body.message = b.message;
      if (b.extra !== undefined && 'extraValue' in b) body[b.extra] = b.extraValue;
      const res = await api.post(`/api/v1/organizations/${org.id}/nominations`, body);
      const what = `${JSON.stringify(body).slice(0, 160)} -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
      if (res.status < 400) {
        failures.push(`let through: ${what}`);
      } else if (res.status >= 500 || typeof res.body?.error?.code !== 'string' || typeof res.body?.error?.message !== 'string') {
        failures.push(what);
      } else if (res.status === 400 && !['userId', 'message', b.extra].includes(res.body.error.field)) {
        failures.push(`refused without naming the field: ${what}`);
      } else {
        refusedCodes.add(res.body.error.code);
      }
    }
    expect(failures).toEqual([]);
    // The bodies reached every rule: malformed, unknown account, oneself, nominated already.
    expect([...refusedCodes].sort()).toEqual(expect.arrayContaining(['ALREADY_NOMINATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED']));
    const [{ n }] = await query<{ n: number }>(testStack().databaseUrl, 'SELECT count(*)::int AS n FROM nominations WHERE organization_id = $1::uuid', [org.id]);
    expect(n).toBe(1);
    expect((await fetch(`${gatewayUrl}/health`)).status).toBe(200);
  }, 300_000);

  it('answers 300 email preference bodies with the preferences saved or a 400 naming the field, and keeps exactly the last ones accepted (issue 19)', async () => {
    const api = await signIn(await createUser());
    const emailDigest = fc.oneof(fc.constantFrom('immediate', 'daily', 'DAILY', 'weekly', ''), fc.jsonValue({ maxDepth: 1 }));
    const digestHour = fc.oneof(fc.integer({ min: -5, max: 30 }), fc.double(), fc.constantFrom('8', null, 23, 0), fc.jsonValue({ maxDepth: 1 }));
    const timeZone = fc.oneof(
      fc.constantFrom('America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'UTC', 'Mars/Base', 'America/New York', '../etc/passwd', "' OR 1=1 --", 'z'.repeat(200)),
      fc.string({ maxLength: 40 }),
      fc.jsonValue({ maxDepth: 1 }),
    );
    const extra = fc.constantFrom('userId', 'proof', 'digestSentFor', 'emaildigest');
    const bodies = fc.sample(fc.record({ emailDigest, digestHour, timeZone, extra, extraValue: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }), { numRuns: 300, seed: 20261219 });
    // What the gateway must take: the API's own rules, written again from the specification.
    const valid = (b: Record<string, unknown>) =>
      Object.keys(b).every((k) => ['emailDigest', 'digestHour', 'timeZone'].includes(k)) &&
      (b.emailDigest === 'immediate' || b.emailDigest === 'daily') &&
      (!('digestHour' in b) || (Number.isInteger(b.digestHour) && (b.digestHour as number) >= 0 && (b.digestHour as number) <= 23)) &&
      (!('timeZone' in b) || (typeof b.timeZone === 'string' && isTimeZone(b.timeZone)));

    let saved = { emailDigest: 'immediate', digestHour: 8, timeZone: 'America/New_York' };
    expect((await api.get('/api/v1/me/preferences')).body).toEqual(saved);
    const failures: string[] = [];
    let accepted = 0;
    for (const b of bodies) {
      const body: Record<string, unknown> = {};
      for (const k of ['emailDigest', 'digestHour', 'timeZone'] as const) if (k in b) body[k] = b[k];
      if (b.extra !== undefined && 'extraValue' in b) body[b.extra] = b.extraValue;
      const res = await api.request('PUT', '/api/v1/me/preferences', body);
      const what = `${JSON.stringify(body).slice(0, 160)} -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
      if (valid(body)) {
        const want = { emailDigest: body.emailDigest as string, digestHour: (body.digestHour as number | undefined) ?? saved.digestHour, timeZone: (body.timeZone as string | undefined) ?? saved.timeZone };
        if (res.status !== 200 || JSON.stringify(res.body) !== JSON.stringify(want)) {
          failures.push(`valid, not saved as sent: ${what}`);
        } else {
          saved = want;
          accepted++;
        }
      } else if (res.status !== 400 || res.body?.error?.code !== 'VALIDATION_FAILED' || !['emailDigest', 'digestHour', 'timeZone', b.extra].includes(res.body.error.field)) {
        failures.push(`invalid, not refused naming its field: ${what}`);
      }
    }
    expect(failures).toEqual([]);
    expect(accepted).toBeGreaterThan(0);
    expect((await api.get('/api/v1/me/preferences')).body).toEqual(saved);
  }, 300_000);

  it('answers 300 access-review decision bodies with 200 or a refusal naming the field, and records only decisions of users under review, once each (issue 18)', async () => {
    const { gatewayUrl } = testStack();
    const [org, official, other, staff, helpDeskUser] = await Promise.all([createOrganization(), createUser(), createUser(), createUser(), createUser({ platformRole: 'HELP_DESK' })]);
    await Promise.all([grantRole(official, org, 'SECURITY_OFFICIAL'), grantRole(other, org, 'SECURITY_OFFICIAL'), grantRole(staff, org, 'STAFF_USER')]);
    const [api, helpDesk] = await Promise.all([signIn(official), signIn(helpDeskUser)]);
    // Campaign bodies always name the organization here: a fuzzed campaign over every organization would review every test's data.
    const campaignBodies = fc.sample(
      fc.record({ organizationId: fc.oneof(fc.constant(org.id), fc.uuid(), fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 1 })), dueAt: fc.oneof(fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())), fc.string({ maxLength: 30 }), fc.jsonValue({ maxDepth: 1 })) }),
      { numRuns: 100, seed: 20261202 },
    );
    const failures: string[] = [];
    for (const body of campaignBodies) {
      if (body.organizationId === org.id && typeof body.dueAt === 'string' && Date.parse(body.dueAt) > Date.now()) continue;
      const res = await helpDesk.post('/api/v1/access-reviews', body);
      if (res.status < 400 || res.status >= 500 || typeof res.body?.error?.code !== 'string') failures.push(`${JSON.stringify(body).slice(0, 160)} -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      else if (res.status === 400 && !['organizationId', 'dueAt'].includes(res.body.error.field)) failures.push(`refused without naming the field: ${JSON.stringify(body).slice(0, 160)}`);
    }
    const started = await helpDesk.post('/api/v1/access-reviews', { organizationId: org.id, dueAt: new Date(Date.now() + 300_000).toISOString() });
    expect(started.status).toBe(201);
    const reviewId = (await helpDesk.get(`/api/v1/access-reviews/${started.body.id}`)).body.organizations.items[0].id as string;

    const userId = fc.oneof(fc.constantFrom(official.id, other.id, staff.id, staff.id.toUpperCase(), helpDeskUser.id), fc.uuid(), fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 1 }));
    const decision = fc.oneof(fc.constantFrom('KEEP', 'REMOVE', 'keep', 'DELETE', ''), fc.jsonValue({ maxDepth: 1 }));
    const item = fc.oneof(fc.record({ userId, decision }, { requiredKeys: [] }), fc.jsonValue({ maxDepth: 1 }));
    const items = fc.oneof(fc.array(item, { maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }));
    const bodies = fc.sample(fc.record({ items, extra: fc.constantFrom(undefined, 'reviewId', 'deciderId', 'proof') }, { requiredKeys: [] }), { numRuns: 300, seed: 20261203 });
    const recorded = new Map<string, string>();
    for (const b of bodies) {
      const body: Record<string, unknown> = 'items' in b ? { items: b.items } : {};
      if (b.extra) body[b.extra] = 'x';
      const res = await api.post(`/api/v1/access-reviews/${reviewId}/decisions`, body);
      const what = `${JSON.stringify(body).slice(0, 160)} -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
      if (res.status >= 500 || (res.status >= 400 && typeof res.body?.error?.code !== 'string')) failures.push(what);
      else if (res.status === 400 && !/^(items(\.\d+\.(userId|decision|.*))?|reviewId|deciderId|proof)$/.test(res.body.error.field ?? '')) failures.push(`refused without naming the field: ${what}`);
      else if (res.status === 200) {
        for (const r of res.body.results as { userId: string; status: string; item?: { decision: string } }[]) {
          if (r.status !== 'RECORDED') continue;
          // A user's first decision stands: a later RECORDED answer repeats it.
          if (recorded.has(r.userId) && recorded.get(r.userId) !== r.item!.decision) failures.push(`two outcomes for ${r.userId}: ${what}`);
          recorded.set(r.userId, r.item!.decision);
        }
      } else if (res.status !== 400) failures.push(`unexpected: ${what}`);
    }
    expect(failures).toEqual([]);
    // Only users under review were recorded, and never the official's own REMOVE (refused) nor the last official's.
    const rows = await query<{ user_id: string; decision: string }>(testStack().databaseUrl, 'SELECT user_id::text, decision::text FROM access_review_items WHERE review_id = $1::uuid AND decision IS NOT NULL', [reviewId]);
    expect(rows.every((r) => [official.id, other.id, staff.id].includes(r.user_id))).toBe(true);
    expect(rows.find((r) => r.user_id === official.id)?.decision).not.toBe('REMOVE');
    expect(new Map(rows.map((r) => [r.user_id, r.decision]))).toEqual(recorded);
    expect((await fetch(`${gatewayUrl}/health`)).status).toBe(200);
  }, 300_000);

  it('answers 300 personal calendar feed tokens with 404 NOT_FOUND in the error shape, never a 5xx, and only the live token with its feed (issue 19)', async () => {
    const { gatewayUrl } = testStack();
    const api = await signIn(await createUser());
    const live = new URL((await api.get('/api/v1/me/calendar-feed')).body.url as string).pathname;
    const token = /\/([^/]+)\.ics$/.exec(live)![1];
    const near = (t: string) => fc.integer({ min: 6, max: t.length - 1 }).chain((i) => fc.constantFrom('A', 'z', '-', '_', '0').map((c) => t.slice(0, i) + c + t.slice(i + 1)).filter((x) => x !== t));
    const PRE_ENCODED = ['..%2F..%2Fetc%2Fpasswd', '%00'];
    const tokens = fc.sample(
      fc.oneof(
        near(token),
        fc.base64String({ minLength: 40, maxLength: 48 }).map((b) => `amcal_${b}`),
        fc.string({ maxLength: 80 }),
        fc.constantFrom(token.toUpperCase(), `${token}x`, token.slice(0, -1), `amcal_${'A'.repeat(43)}`, ...PRE_ENCODED, '9'.repeat(400), "' OR 1=1 --", '💥'),
      ),
      { numRuns: 300, seed: 20261219 },
    );
    const failures: string[] = [];
    for (const t of tokens) {
      // Sent as written when already percent-encoded (a traversal, a NUL), else encoded.
      const path = `/api/v1/program-calendar/feeds/${PRE_ENCODED.includes(t) ? t : encodeURIComponent(t)}.ics`;
      const res = await rawRequest({ baseUrl: gatewayUrl, method: 'GET', path });
      if (res.status !== 404 || res.json?.error?.code !== 'NOT_FOUND') failures.push(`${JSON.stringify(t).slice(0, 100)} -> ${res.status} ${res.text.slice(0, 120)}`);
    }
    expect(failures).toEqual([]);
    expect((await fetch(`${gatewayUrl}${live}`)).status).toBe(200);
    expect((await fetch(`${gatewayUrl}/health`)).status).toBe(200);
  }, 300_000);
});

// Issue 17: bulk decision bodies, generated around the rules (1 to 100 distinct UUIDs, a decision,
// a reason code and reason that fit it). Each answer is what the rules say: a 400 naming the field
// and the rule, with nothing of the batch decided; or 200 with one result per id, in order.
describe('fuzzing bulk decisions', () => {
  const DECISIONS_TOTAL = 300;
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const FIELDS = ['decision', 'requestIds', 'reasonCode', 'reason'];
  const POLLUTING = ['__proto__', 'constructor'];

  /**
   * The fields a body breaks, by the gateway's rules (the 400 names one of them); empty when it is
   * well formed. Each field's own rule first; the rules across fields only when each field is fine.
   */
  function brokenFields(b: Record<string, unknown>): string[] {
    const present = (v: unknown) => v !== undefined && v !== null;
    const ids = b.requestIds;
    // __proto__ and constructor keys are handled apart (see below).
    const bad = Object.keys(b).filter((k) => !FIELDS.includes(k) && !POLLUTING.includes(k));
    if (b.decision !== 'APPROVE' && b.decision !== 'DENY') bad.push('decision');
    if (!Array.isArray(ids) || ids.length < 1 || ids.length > 100 || !ids.every((i) => typeof i === 'string' && UUID.test(i)) || new Set(ids.map((i) => String(i).toLowerCase())).size !== ids.length) bad.push('requestIds');
    if (present(b.reasonCode) && !(DENY_REASON_CODES as readonly unknown[]).includes(b.reasonCode)) bad.push('reasonCode');
    if (present(b.reason) && (typeof b.reason !== 'string' || b.reason.length > 1000)) bad.push('reason');
    if (bad.length) return bad;
    if (b.decision === 'APPROVE' && (b.reasonCode !== undefined || b.reason !== undefined)) return [b.reasonCode !== undefined ? 'reasonCode' : 'reason'];
    if (b.reasonCode === 'OTHER' && !(typeof b.reason === 'string' && b.reason.trim())) return ['reason'];
    return [];
  }

  it(`answers ${DECISIONS_TOTAL} generated batches by the rules, and decides nothing of a refused one`, async () => {
    const org = await createOrganization();
    const official = await createUser();
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const asOfficial = await signIn(official);
    const real: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await (await signIn(await createUser())).post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
      expect(res.status).toBe(201);
      real.push(res.body.id);
    }

    const id = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...real) },
      { weight: 8, arbitrary: fc.uuid() },
      { weight: 1, arbitrary: fc.constantFrom(...real).map((u) => u.toUpperCase()) },
      { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
      { weight: 1, arbitrary: fc.constantFrom('__proto__', { __proto__: null }, { $ne: null }, [], '00000000-0000-0000-0000-000000000000') },
    );
    const body = fc.record(
      {
        decision: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('APPROVE', 'DENY') }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) }),
        requestIds: fc.oneof(
          { weight: 8, arbitrary: fc.array(id, { minLength: 0, maxLength: 5 }) },
          { weight: 1, arbitrary: fc.array(fc.uuid(), { minLength: 95, maxLength: 140 }) },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
        ),
        reasonCode: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...DENY_REASON_CODES) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) }),
        reason: fc.oneof({ weight: 6, arbitrary: fc.string({ maxLength: 60 }) }, { weight: 1, arbitrary: fc.constantFrom('x'.repeat(1000), 'x'.repeat(1001), '   ') }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) }),
      },
      { requiredKeys: ['decision', 'requestIds'] },
    );
    // Now and then a required field left out, a field no one asked for, or a __proto__ key, as an
    // attacker sends it: written into the JSON text, it arrives as an own property.
    const rarely = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a });
    const dropped = rarely(fc.constantFrom('decision', 'requestIds'));
    const extra = rarely(fc.tuple(fc.constantFrom('deciderId', 'proof', 'isAdmin', 'items', 'constructor'), fc.jsonValue({ maxDepth: 1 })));
    const proto = rarely(fc.dictionary(fc.constantFrom('decision', 'isAdmin', 'requestIds'), fc.jsonValue({ maxDepth: 1 })));
    const cases = fc.sample(fc.tuple(body, dropped, extra, proto), { numRuns: DECISIONS_TOTAL, seed: 20261217 }).map(([b, d, x, p]) => {
      const fields: Record<string, unknown> = { ...b };
      if (d) delete fields[d];
      if (x) fields[x[0]] = x[1];
      const text = JSON.stringify(fields);
      return p === undefined ? text : `{"__proto__":${JSON.stringify(p)}${text === '{}' ? '' : ','}${text.slice(1)}`;
    });

    const statusOf = async () =>
      Object.fromEntries((await query<{ id: string; status: string }>(testStack().databaseUrl, 'SELECT id::text, status::text FROM role_requests WHERE id = ANY($1::uuid[])', [real])).map((r) => [r.id, r.status]));
    const failures: string[] = [];
    let decidedBatches = 0;
    for (const text of cases) {
      const before = await statusOf();
      const res = await rawRequest({ method: 'POST', path: '/api/v1/role-requests/decisions', headers: { 'content-type': 'application/json', authorization: `Bearer ${asOfficial.token}` }, body: text });
      const sent = JSON.parse(text) as Record<string, unknown>;
      const want = brokenFields(sent);
      const what = `${text.slice(0, 160)} -> ${res.status} ${res.text.slice(0, 200)}`;
      // A __proto__ or constructor key may be refused as an unknown field; else it must have had no
      // effect at all: the answer is the one the rest of the body gets.
      const protoRefused = POLLUTING.some((k) => Object.hasOwn(sent, k)) && res.status === 400 && POLLUTING.includes(res.json?.error?.field);
      if (protoRefused) {
        const after = await statusOf();
        if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`a refused batch decided something: ${what}`);
      } else if (want.length) {
        const e = res.json?.error;
        if (res.status !== 400 || e?.code !== 'VALIDATION_FAILED' || !want.includes(e?.field) || typeof e?.message !== 'string' || !e.message.includes(e.field)) {
          failures.push(`expected 400 naming one of ${want.join(', ')}: ${what}`);
        }
        const after = await statusOf();
        if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`a refused batch decided something: ${what}`);
      } else if (res.status !== 200) {
        failures.push(`expected 200: ${what}`);
      } else {
        decidedBatches++;
        const ids = sent.requestIds as string[];
        const results = res.json.results as { requestId: string; status: number; request?: { status: string }; error?: { code: string; message: string } }[];
        // In order, each id as the gateway reads it (a UUID in capitals is the same request, in lower case).
        if (JSON.stringify(results.map((r) => r.requestId)) !== JSON.stringify(ids.map((i) => i.toLowerCase()))) failures.push(`results out of order: ${what}`);
        for (const r of results) {
          const ok = r.status === 200 ? !!r.request && !r.error : !r.request && !!r.error && typeof r.error.message === 'string' && [403, 404, 409].includes(r.status);
          if (!ok) failures.push(`result ${JSON.stringify(r).slice(0, 200)} of ${what}`);
        }
      }
    }
    expect(failures).toEqual([]);
    console.log(`bulk decision fuzz: ${decidedBatches} well-formed batches answered 200, ${cases.length - decidedBatches} refused`);
    // The generator reached both sides of the rules.
    expect(decidedBatches).toBeGreaterThan(10);
    expect(cases.length - decidedBatches).toBeGreaterThan(100);
    // Every real request was decided once, by whichever well-formed batch came first.
    const final = await statusOf();
    expect(Object.values(final).every((s) => s === 'APPROVED' || s === 'DENIED')).toBe(true);
    const decisions = await query(testStack().databaseUrl, `SELECT subject_id FROM audit_events WHERE subject_id = ANY($1::text[]) AND action IN ('role-request.approved', 'role-request.denied')`, [real]);
    expect(decisions).toHaveLength(real.length);
    expect((await fetch(`${testStack().gatewayUrl}/health`)).status).toBe(200);
  }, 300_000);
});

// Issue 20: webhook subscriptions. Bodies generated around the gateway's rules (an absolute http(s)
// URL of at most 2048 characters, 1 to 8 distinct event types, an organization id, a description of
// at most 500): each answer is a 400 naming a field the body breaks, with nothing registered or
// changed; or the subscription as asked. Ids and queries of every webhook route likewise.
describe('fuzzing webhooks', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const CREATE_FIELDS = ['url', 'events', 'organizationId', 'description'];
  const UPDATE_FIELDS = ['events', 'paused', 'description'];
  /** Stands for a URL of the test's receiver, a new one each time (the generator cannot know its port). */
  const RECEIVER = 'receiver:';
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver?.stop();
  });

  const goodEvents = (v: unknown) => Array.isArray(v) && v.length >= 1 && v.length <= WEBHOOK_EVENT_TYPES.length && new Set(v).size === v.length && v.every((e) => (WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(e));
  const goodDescription = (v: unknown) => typeof v === 'string' && v.length <= 500;
  /** A description as kept: trimmed, and none when nothing is left (null or blank removes it). */
  const kept = (v: unknown) => (typeof v === 'string' ? v.trim() || null : null);
  const events = fc.oneof(
    { weight: 6, arbitrary: fc.uniqueArray(fc.constantFrom(...WEBHOOK_EVENT_TYPES), { minLength: 1, maxLength: WEBHOOK_EVENT_TYPES.length }) },
    { weight: 1, arbitrary: fc.constantFrom([], ['access.removed', 'access.removed'], ['webhook.ping'], ['role-request.approved'], 'access.removed', [...WEBHOOK_EVENT_TYPES, 'access.removed'], ['ACCESS.REMOVED'], null) },
    { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
  );
  const description = fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 60 }) },
    { weight: 1, arbitrary: fc.constantFrom('d'.repeat(500), 'd'.repeat(501), '<script>alert(1)</script>', '') },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
  );
  const rarely = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a });
  const extra = rarely(fc.tuple(fc.constantFrom('viewerId', 'apiKeyId', 'proof', 'secret', 'status', 'id', 'createdBy'), fc.jsonValue({ maxDepth: 1 })));

  it('answers 300 registrations with the subscription or a 400 naming the field, and registers exactly the ones it answered 201', async () => {
    const helpDesk = await signIn(await createUser({ platformRole: 'HELP_DESK' }));
    const org = await createOrganization();
    // A key of its own: it sees only what it registered, so its list is this test's registrations.
    const { key } = (await helpDesk.post('/api/v1/api-keys', { name: 'webhook fuzz', scopes: ['webhooks:manage'], rateLimitPerMinute: 10000 })).body as { key: string };
    const url = fc.oneof(
      { weight: 6, arbitrary: fc.constant(RECEIVER) },
      {
        weight: 2,
        arbitrary: fc.constantFrom('', 'not a url', '/hooks', '//127.0.0.1/hooks', 'ftp://127.0.0.1/hooks', 'javascript:alert(1)', 'file:///etc/passwd', 'https://user:secret@127.0.0.1/hooks', 'http://', `http://127.0.0.1/${'p'.repeat(2048)}`),
      },
      { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
    );
    // Always an organization (valid or not): a subscription to every organization would hear every test's events.
    const organizationId = fc.oneof({ weight: 6, arbitrary: fc.constant(org.id) }, { weight: 1, arbitrary: fc.constantFrom(org.id.toUpperCase(), 'not-a-uuid', '', null, `${org.id}0`) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) });
    const bodies = fc.sample(fc.record({ url, events, organizationId, description, extra }, { requiredKeys: ['organizationId'] }), { numRuns: 300, seed: 20261220 });

    const failures: string[] = [];
    const registered = new Map<string, { url: string; events: string[] }>();
    const refusedFields = new Set<string>();
    for (const [i, b] of bodies.entries()) {
      const body: Record<string, unknown> = {};
      for (const k of CREATE_FIELDS) if (k in b) body[k] = (b as Record<string, unknown>)[k];
      if (body.url === RECEIVER) body.url = receiver.url(`/fuzz/${i}`);
      if (b.extra) body[b.extra[0]] = b.extra[1];
      const sent = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
      const broken = Object.keys(sent).filter((k) => !CREATE_FIELDS.includes(k));
      if (!(typeof sent.url === 'string' && sent.url.startsWith(receiver.url('/fuzz/')))) broken.push('url');
      if (!goodEvents(sent.events)) broken.push('events');
      if (!(typeof sent.organizationId === 'string' && UUID.test(sent.organizationId))) broken.push('organizationId');
      if ('description' in sent && !goodDescription(sent.description)) broken.push('description');

      const res = await withKey(key, 'POST', '/api/v1/webhooks', { body: sent });
      const what = `${JSON.stringify(sent).slice(0, 160)} -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
      if (broken.length) {
        const e = res.body?.error;
        if (res.status !== 400 || e?.code !== 'VALIDATION_FAILED' || !broken.includes(e?.field) || typeof e?.message !== 'string' || !e.message.includes(e.field)) failures.push(`expected 400 naming one of ${broken.join(', ')}: ${what}`);
        else refusedFields.add(e.field);
      } else if (res.status !== 201) {
        failures.push(`expected 201: ${what}`);
      } else {
        const w = res.body;
        if (w.url !== sent.url || JSON.stringify(w.events) !== JSON.stringify(sent.events) || w.organizationId !== org.id || w.description !== kept(sent.description) || w.status !== 'ACTIVE' || !/^whsec_[A-Za-z0-9+/=]+$/.test(w.secret)) {
          failures.push(`registered otherwise than asked: ${what}`);
        }
        registered.set(w.id, { url: w.url, events: w.events });
      }
    }
    expect(failures).toEqual([]);
    // The generator reached both sides of every rule.
    expect(registered.size).toBeGreaterThan(30);
    expect([...refusedFields].sort()).toEqual(expect.arrayContaining(['description', 'events', 'organizationId', 'url']));
    // Exactly the subscriptions answered 201, nothing of a refused body.
    const listed = await withKey(key, 'GET', '/api/v1/webhooks?pageSize=200');
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(registered.size);
    const all = [...listed.body.items];
    for (let page = 2; all.length < listed.body.total; page++) all.push(...(await withKey(key, 'GET', `/api/v1/webhooks?pageSize=200&page=${page}`)).body.items);
    expect(new Map(all.map((w: { id: string; url: string; events: string[] }) => [w.id, { url: w.url, events: w.events }]))).toEqual(registered);
    expect(all.some((w: { secret?: string }) => 'secret' in w)).toBe(false);
  }, 300_000);

  it('answers 300 changes with the subscription as changed or a 400 naming the field, and keeps exactly the changes it accepted', async () => {
    const helpDesk = await signIn(await createUser({ platformRole: 'HELP_DESK' }));
    const org = await createOrganization();
    const created = await helpDesk.post('/api/v1/webhooks', { url: receiver.url(`/fuzz-changes/${org.id}`), events: ['access.removed'], organizationId: org.id });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const paused = fc.oneof({ weight: 4, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom('true', 0, 1, null) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) });
    const nullableDescription = fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: description });
    const bodies = fc.sample(fc.record({ events, paused, description: nullableDescription, extra }, { requiredKeys: [] }), { numRuns: 300, seed: 20261221 });

    let state = { events: ['access.removed'] as unknown, status: 'ACTIVE', description: null as unknown };
    const failures: string[] = [];
    let accepted = 0;
    for (const b of bodies) {
      const body: Record<string, unknown> = {};
      for (const k of UPDATE_FIELDS) if (k in b) body[k] = (b as Record<string, unknown>)[k];
      if (b.extra) body[b.extra[0]] = b.extra[1];
      const sent = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
      const broken = Object.keys(sent).filter((k) => !UPDATE_FIELDS.includes(k));
      if ('events' in sent && !goodEvents(sent.events)) broken.push('events');
      if ('paused' in sent && typeof sent.paused !== 'boolean') broken.push('paused');
      if ('description' in sent && sent.description !== null && !goodDescription(sent.description)) broken.push('description');
      if (!broken.length && !UPDATE_FIELDS.some((k) => k in sent)) broken.push('body');

      const res = await helpDesk.request('PATCH', `/api/v1/webhooks/${id}`, sent);
      const what = `${JSON.stringify(sent).slice(0, 160)} -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
      if (broken.length) {
        const e = res.body?.error;
        if (res.status !== 400 || e?.code !== 'VALIDATION_FAILED' || !broken.includes(e?.field) || typeof e?.message !== 'string') failures.push(`expected 400 naming one of ${broken.join(', ')}: ${what}`);
        continue;
      }
      const want = {
        events: 'events' in sent ? sent.events : state.events,
        status: 'paused' in sent ? (sent.paused ? 'PAUSED' : 'ACTIVE') : state.status,
        description: 'description' in sent ? kept(sent.description) : state.description,
      };
      if (res.status !== 200 || JSON.stringify({ events: res.body.events, status: res.body.status, description: res.body.description }) !== JSON.stringify(want)) failures.push(`valid, not changed as sent (want ${JSON.stringify(want).slice(0, 120)}): ${what}`);
      else {
        state = want;
        accepted++;
      }
    }
    expect(failures).toEqual([]);
    expect(accepted).toBeGreaterThan(30);
    const now = await helpDesk.get(`/api/v1/webhooks/${id}`);
    expect({ events: now.body.events, status: now.body.status, description: now.body.description }).toEqual(state);
  }, 300_000);

  it('refuses a malformed id, delivery id, page or delivery state on every webhook route with 400 naming it, and changes nothing', async () => {
    const helpDesk = await signIn(await createUser({ platformRole: 'HELP_DESK' }));
    const org = await createOrganization();
    const created = await helpDesk.post('/api/v1/webhooks', { url: receiver.url(`/fuzz-ids/${org.id}`), events: ['access.removed'], organizationId: org.id, description: 'unchanged' });
    expect(created.status).toBe(201);
    const { id } = created.body as { id: string };
    const before = withoutSecret(created.body);
    const BAD_IDS = ['not-a-uuid', `${id}0`, id.replace(/-/g, ''), "' OR 1=1 --", '9'.repeat(400), '..%2F..%2Fetc%2Fpasswd', 'null', '%00'];
    const cases: { method: string; path: string; field: string; body?: unknown }[] = [];
    for (const bad of BAD_IDS) {
      cases.push(
        { method: 'GET', path: `/api/v1/webhooks/${bad}`, field: 'id' },
        { method: 'PATCH', path: `/api/v1/webhooks/${bad}`, field: 'id', body: { paused: true } },
        { method: 'DELETE', path: `/api/v1/webhooks/${bad}`, field: 'id' },
        { method: 'POST', path: `/api/v1/webhooks/${bad}/rotate-secret`, field: 'id', body: {} },
        { method: 'GET', path: `/api/v1/webhooks/${bad}/deliveries`, field: 'id' },
        { method: 'POST', path: `/api/v1/webhooks/${bad}/test`, field: 'id', body: {} },
        { method: 'POST', path: `/api/v1/webhooks/${bad}/deliveries/${id}/redeliver`, field: 'id', body: {} },
        { method: 'POST', path: `/api/v1/webhooks/${id}/deliveries/${bad}/redeliver`, field: 'deliveryId', body: {} },
      );
    }
    for (const [q, field] of [['status=failed', 'status'], ['status=GONE', 'status'], ['status=', 'status'], ['page=0', 'page'], ['page=x', 'page'], ['pageSize=201', 'pageSize'], ['pageSize=1.5', 'pageSize'], ['webhookId=x', 'webhookId']]) {
      cases.push({ method: 'GET', path: `/api/v1/webhooks/${id}/deliveries?${q}`, field });
      if (field !== 'status') cases.push({ method: 'GET', path: `/api/v1/webhooks?${q}`, field });
    }
    cases.push({ method: 'GET', path: '/api/v1/webhooks?status=ACTIVE', field: 'status' });

    const failures: string[] = [];
    for (const c of cases) {
      const res = await rawRequest({ method: c.method, path: c.path, headers: { 'content-type': 'application/json', authorization: `Bearer ${helpDesk.token}` }, ...(c.body === undefined ? {} : { body: JSON.stringify(c.body) }) });
      const e = res.json?.error;
      if (res.status !== 400 || e?.code !== 'VALIDATION_FAILED' || e?.field !== c.field || typeof e?.message !== 'string') failures.push(`${c.method} ${c.path.slice(0, 120)} -> ${res.status} ${res.text.slice(0, 200)}, expected 400 naming ${c.field}`);
    }
    expect(failures).toEqual([]);
    const after = await helpDesk.get(`/api/v1/webhooks/${id}`);
    expect(after.body).toEqual(before);
    const deliveries = await helpDesk.get(`/api/v1/webhooks/${id}/deliveries`);
    expect(deliveries.body).toMatchObject({ items: [], total: 0 });
    expect(receiver.received((r) => r.path.startsWith(`/fuzz-ids/${org.id}`))).toEqual([]);
  }, 300_000);
});
