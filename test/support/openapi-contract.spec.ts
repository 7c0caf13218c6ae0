// The contract check that every integration test's gateway answers go through (issue 16), on a small
// document shaped as @nestjs/swagger writes the gateway's: conforming answers pass, and a mismatch
// fails with the route, the status and the JSON path that broke.
import { formatFinding, jsonPath, nullableMisuses, OpenApiContract, type ObservedAnswer } from './openapi-contract';
import { checkBrowserAnswer, checkedFetch, ContractViolation, failOnPendingViolations, isGatewayApi, useDocument } from './openapi-contract-hook';

const GATEWAY = 'http://127.0.0.1:45678';
const ID = '2d9c6b5a-7e3f-4a0c-9b4d-8f5e3c4a6d72';
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const errorResponse = { description: 'error', ...json({ $ref: '#/components/schemas/ErrorResponse' }) };

/** Operations as the gateway documents them, with the nullable shapes @nestjs/swagger writes (raw) or as published. */
function nestStyleDocument(shape: 'raw' | 'published' = 'published'): any {
  const nullables =
    shape === 'raw'
      ? {
          decidedBy: { nullable: true, type: 'object', example: null, allOf: [{ $ref: '#/components/schemas/PersonRef' }] },
          platformRole: { nullable: true, allOf: [{ $ref: '#/components/schemas/PlatformRole' }] },
        }
      : {
          decidedBy: { nullable: true, type: 'object', example: null, properties: { id: { type: 'string', format: 'uuid' }, displayName: { type: 'string' } }, required: ['id', 'displayName'] },
          platformRole: { nullable: true, type: 'string', enum: ['HELP_DESK', null] },
        };
  return {
    openapi: '3.0.0',
    info: { title: 'test', version: '1' },
    paths: {
      '/api/v1/role-requests/{id}': {
        get: {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: { 200: { description: 'ok', ...json({ $ref: '#/components/schemas/RoleRequestView' }) }, 401: errorResponse, 404: errorResponse },
        },
      },
      '/api/v1/role-requests/decisions': {
        post: { responses: { 200: { description: 'ok', ...json({ type: 'object', properties: { results: { type: 'array', items: { type: 'object' } } }, required: ['results'] }) } } },
      },
      '/api/v1/audit': {
        get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { type: 'object' } } }, 'text/csv': { schema: { type: 'string' } } } } } },
      },
      '/api/v1/notifications/{id}/read': { post: { responses: { 204: { description: 'read' }, 404: errorResponse } } },
      '/api/v1/notifications/stream': { get: { responses: { 200: { description: 'events', content: { 'text/event-stream': { schema: { type: 'string' } } } } } } },
    },
    components: {
      schemas: {
        PlatformRole: { type: 'string', enum: ['HELP_DESK'] },
        PersonRef: { type: 'object', properties: { id: { type: 'string', format: 'uuid', example: ID }, displayName: { type: 'string' } }, required: ['id', 'displayName'] },
        RoleRequestView: {
          type: 'object',
          properties: {
            id: { type: 'string', format: 'uuid' },
            ...nullables,
            reason: { type: 'string', nullable: true },
          },
          required: ['id', 'decidedBy', 'platformRole', 'reason'],
        },
        ErrorResponse: {
          type: 'object',
          properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } },
          required: ['error'],
        },
      },
    },
  };
}

const request = (body: unknown): ObservedAnswer => ({
  method: 'GET',
  url: `${GATEWAY}/api/v1/role-requests/${ID}?x=1`,
  status: 200,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(body),
});
const pending = { id: ID, decidedBy: null, platformRole: null, reason: null };
const decided = { id: ID, decidedBy: { id: ID, displayName: 'Elizabeth Blackwell' }, platformRole: 'HELP_DESK', reason: 'ok' };

describe('OpenApiContract', () => {
  const contract = new OpenApiContract(nestStyleDocument());

  it('passes answers that conform: nulls where the document allows them, values where it names them', () => {
    expect(contract.check(request(pending)).problems).toEqual([]);
    expect(contract.check(request(decided)).problems).toEqual([]);
    expect(contract.check({ ...request({ error: { code: 'NOT_FOUND', message: 'No such request' } }), status: 404 }).problems).toEqual([]);
  });

  it('fails an answer that breaks the schema, naming the route, the status and the JSON path', () => {
    const finding = contract.check(request({ ...decided, decidedBy: { id: 'access-removal-1' }, platformRole: 'ADMIN' }));
    const message = formatFinding(finding);
    expect(message).toContain('GET /api/v1/role-requests/{id} → 200');
    expect(message).toContain(`$.decidedBy: must have required property 'displayName'`);
    expect(message).toContain('$.decidedBy.id: must match format "uuid"; got "access-removal-1"');
    expect(message).toContain('$.platformRole: must be equal to one of the allowed values (["HELP_DESK",null]); got "ADMIN"');
  });

  it('fails a status the operation does not document, a media type it does not declare, and a body that is not JSON', () => {
    expect(contract.check({ ...request(decided), status: 409 }).problems).toEqual([expect.stringContaining('status 409 is not documented for GET /api/v1/role-requests/{id} (documented: 200, 401, 404)')]);
    expect(contract.check({ ...request(decided), contentType: 'text/html' }).problems).toEqual(['Content-Type is text/html; the document declares application/json']);
    expect(contract.check({ ...request(decided), body: '<html>' }).problems).toEqual([expect.stringContaining('the body is not JSON')]);
    expect(contract.check({ ...request(decided), status: 404, body: JSON.stringify({ message: 'Not Found' }) }).problems).toEqual([expect.stringContaining(`$: must have required property 'error'`)]);
  });

  it('checks CSV and event streams by their media type, and a documented empty answer by its emptiness', () => {
    const audit = { method: 'GET', url: `${GATEWAY}/api/v1/audit`, status: 200 };
    expect(contract.check({ ...audit, contentType: 'text/csv; charset=utf-8', body: 'a,b\n' }).problems).toEqual([]);
    expect(contract.check({ ...audit, contentType: 'text/plain' }).problems).toEqual([expect.stringContaining('Content-Type is text/plain')]);
    expect(contract.check({ method: 'GET', url: `${GATEWAY}/api/v1/notifications/stream`, status: 200, contentType: 'text/event-stream' }).problems).toEqual([]);
    const read = { method: 'POST', url: `${GATEWAY}/api/v1/notifications/${ID}/read`, status: 204, contentType: null };
    expect(contract.check({ ...read, body: '' }).problems).toEqual([]);
    expect(contract.check({ ...read, body: '{}' }).problems).toEqual(['the document declares no body for this status, yet 2 characters came']);
  });

  it('prefers a literal path segment to a parameter, and holds a route the document lacks to a 404 in the error shape', () => {
    expect(contract.check({ method: 'POST', url: `${GATEWAY}/api/v1/role-requests/decisions`, status: 200, contentType: 'application/json', body: '{"results":[]}' }).problems).toEqual([]);
    const unknown = { method: 'GET', url: `${GATEWAY}/api/v1/no-such-thing`, contentType: 'application/json' };
    expect(contract.check({ ...unknown, status: 404, body: JSON.stringify({ error: { code: 'NOT_FOUND', message: 'Cannot GET' } }) }).problems).toEqual([]);
    expect(contract.check({ ...unknown, status: 200, body: '{}' }).problems).toEqual([expect.stringContaining('GET /api/v1/no-such-thing is not in the document, yet it answered 200')]);
    // The body is refused before any routing: on any path, in the error shape.
    const refused = JSON.stringify({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'JSON only' } });
    expect(contract.check({ ...unknown, status: 415, body: refused }).problems).toEqual([]);
    expect(contract.check({ ...unknown, status: 400, body: refused }).problems).toEqual([expect.stringContaining('answered 400 UNSUPPORTED_MEDIA_TYPE')]);
    // A trailing slash names the same operation, as the server routes it.
    expect(contract.check({ ...request(pending), url: `${GATEWAY}/api/v1/role-requests/${ID}/` }).problems).toEqual([]);
  });

  it('refuses, naming where, a document whose nullable allows no null (the shape @nestjs/swagger writes for a nullable $ref)', () => {
    const raw = nestStyleDocument('raw');
    expect(nullableMisuses(raw)).toEqual([
      '#/components/schemas/RoleRequestView/properties/decidedBy: nullable beside allOf (each allOf branch must also accept null)',
      '#/components/schemas/RoleRequestView/properties/platformRole: nullable without a type',
      '#/components/schemas/RoleRequestView/properties/platformRole: nullable beside allOf (each allOf branch must also accept null)',
    ]);
    expect(new OpenApiContract(raw).check(request(pending)).problems).toEqual([
      `the document's schema for it cannot be used: "nullable" cannot be used without "type"`,
      ...nullableMisuses(raw).map((m) => `the document: ${m}`),
    ]);
    expect(nullableMisuses(nestStyleDocument('published'))).toEqual([]);
  });

  it('writes JSON paths as a reader looks them up', () => {
    expect(jsonPath('')).toBe('$');
    expect(jsonPath('/items/0/user/platformRole')).toBe('$.items[0].user.platformRole');
    expect(jsonPath('/details/a~1b')).toBe('$.details["a/b"]');
  });
});

describe('the fetch hook', () => {
  const stack = process.env.AM_TEST_STACK;
  beforeAll(() => {
    process.env.AM_TEST_STACK = JSON.stringify({ gatewayUrl: GATEWAY });
    useDocument(nestStyleDocument());
  });
  afterAll(() => {
    if (stack === undefined) delete process.env.AM_TEST_STACK;
    else process.env.AM_TEST_STACK = stack;
  });

  const answering = (body: unknown, init: ResponseInit = { status: 200, headers: { 'content-type': 'application/json' } }) =>
    (async () => new Response(body === null ? null : typeof body === 'string' ? body : JSON.stringify(body), init)) as unknown as typeof fetch;

  it('hands a conforming answer over unread, and keeps no violation', async () => {
    const res = await checkedFetch(answering(pending))(`${GATEWAY}/api/v1/role-requests/${ID}`);
    expect(await res.json()).toEqual(pending);
    expect(() => failOnPendingViolations()).not.toThrow();
  });

  it('throws on a non-conforming answer, and fails the test in afterEach even if the test swallowed the throw', async () => {
    const call = checkedFetch(answering({ ...decided, decidedBy: null, platformRole: 'ADMIN' }));
    await expect(call(`${GATEWAY}/api/v1/role-requests/${ID}`)).rejects.toThrow(ContractViolation);
    expect(() => failOnPendingViolations()).toThrow(/1 answer\(s\) of the gateway broke the OpenAPI document[\s\S]*GET \/api\/v1\/role-requests\/\{id\} → 200[\s\S]*\$\.platformRole/);
    expect(() => failOnPendingViolations()).not.toThrow(); // reported once
  });

  it('keeps what the web UI received in the browser, to fail the test in afterEach', async () => {
    const browserAnswer = (body: unknown) => ({
      url: () => `${GATEWAY}/api/v1/role-requests/${ID}`,
      status: () => 200,
      headers: () => ({ 'content-type': 'application/json' }),
      request: () => ({ method: () => 'GET' }),
      text: async () => JSON.stringify(body),
    });
    await checkBrowserAnswer(browserAnswer(decided));
    expect(() => failOnPendingViolations()).not.toThrow();
    await checkBrowserAnswer(browserAnswer({ ...decided, decidedBy: null, reason: 1 }));
    expect(() => failOnPendingViolations()).toThrow(/\$\.reason: must be string; got 1/);
  });

  it('checks an event stream without reading it, and leaves the mail catcher, the web UI and CORS preflights alone', async () => {
    const stream = new ReadableStream({ start: () => undefined }); // never ends
    const res = await checkedFetch((async () => new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream' } })) as unknown as typeof fetch)(`${GATEWAY}/api/v1/notifications/stream`);
    expect(res.status).toBe(200);
    await stream.cancel().catch(() => undefined);
    expect(isGatewayApi(new URL('http://127.0.0.1:1080/api/email'))).toBe(false);
    expect(isGatewayApi(new URL(`${GATEWAY}/organizations/1/users`))).toBe(false);
    expect(isGatewayApi(new URL(`${GATEWAY}/api/docs-json`))).toBe(false);
    expect(isGatewayApi(new URL(`${GATEWAY}/api/nope`))).toBe(true);
    expect(isGatewayApi(new URL('http://127.0.0.1:50000/health'))).toBe(true);
    expect(isGatewayApi(new URL('https://example.com/api/v1/me'))).toBe(false);
    await checkedFetch(answering(null, { status: 204 }))(`${GATEWAY}/api/v1/me`, { method: 'OPTIONS' });
    expect(() => failOnPendingViolations()).not.toThrow();
  });
});
