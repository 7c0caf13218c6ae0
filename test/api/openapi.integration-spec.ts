// The OpenAPI document the gateway serves is a valid OpenAPI 3 document, names the routes and
// auth schemes of the public API v1, and documents every operation completely: a summary, the
// 2xx answer's schema, the errors (as ErrorResponse) and who may call it.
import SwaggerParser from '@apidevtools/swagger-parser';
import { ERROR_CODES } from '@am/contracts';
import { testStack } from '../setup/stack';
import { nullableMisuses } from '../support/openapi-contract';

interface Schema {
  $ref?: string;
  type?: string;
  enum?: string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
}
interface MediaType {
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
interface Response {
  description: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  summary?: string;
  description?: string;
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
  responses: Record<string, Response>;
  security?: Record<string, string[]>[];
  'x-api-key-scope'?: string;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, unknown> };
}

/** The routes that need no credentials (@Public()). */
const PUBLIC = [
  'POST /api/v1/auth/sign-in',
  'POST /api/v1/auth/mfa',
  'POST /api/v1/auth/mfa/enroll',
  'POST /api/v1/auth/mfa/enroll/confirm',
  'POST /api/v1/accounts',
  'POST /api/v1/accounts/verify-email',
  'POST /api/v1/accounts/forgot-user-id',
  'POST /api/v1/accounts/forgot-password',
  'POST /api/v1/accounts/reset-password',
  'GET /health',
  // Issue 19: the program calendar and its feeds (a personal feed's URL carries its token).
  'GET /api/v1/program-calendar',
  'GET /api/v1/program-calendar.ics',
  'GET /api/v1/program-calendar/feeds/{token}.ics',
];
/** Public routes that are rate-limited per client (and per account asked about): they document their 429. */
const RATE_LIMITED_PUBLIC = PUBLIC.filter((name) => name.startsWith('POST /api/v1/accounts'));
/** Routes open to API keys (@ApiKeyScoped), with their scope. */
const API_KEY_SCOPED: Record<string, string> = {
  'GET /api/v1/organizations': 'organizations:read',
  'GET /api/v1/organizations/{orgId}': 'organizations:read',
  'GET /api/v1/organizations/{orgId}/users': 'organizations:read',
  'POST /api/v1/role-requests': 'requests:submit',
  'GET /api/v1/role-requests/{id}': 'requests:read',
  // Issue 20: outbound webhooks, for the help desk and the systems it gives webhooks:manage.
  'POST /api/v1/webhooks': 'webhooks:manage',
  'GET /api/v1/webhooks': 'webhooks:manage',
  'GET /api/v1/webhooks/{id}': 'webhooks:manage',
  'PATCH /api/v1/webhooks/{id}': 'webhooks:manage',
  'DELETE /api/v1/webhooks/{id}': 'webhooks:manage',
  'POST /api/v1/webhooks/{id}/rotate-secret': 'webhooks:manage',
  'GET /api/v1/webhooks/{id}/deliveries': 'webhooks:manage',
  'POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver': 'webhooks:manage',
  'POST /api/v1/webhooks/{id}/test': 'webhooks:manage',
};
/** Answers that are not JSON: the media type they must declare. */
const NON_JSON: Record<string, string> = { 'GET /api/v1/audit': 'text/csv' };
/** Answers that are only a stream: the media type they must declare, and no JSON. */
const STREAMS: Record<string, string> = {
  'GET /api/v1/notifications/stream': 'text/event-stream',
  // iCalendar feeds (issue 19): text/calendar only.
  'GET /api/v1/program-calendar.ics': 'text/calendar',
  'GET /api/v1/program-calendar/feeds/{token}.ics': 'text/calendar',
};
/** GET /health answers 200 or 503 with its report: it takes no input (a body sent to it is refused like on every route). */
const NO_CLIENT_ERRORS = ['GET /health'];

const ERROR_RESPONSE_REF = '#/components/schemas/ErrorResponse';
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

let doc: Document;
const operations: { name: string; path: string; op: Operation }[] = [];

beforeAll(async () => {
  doc = (await fetch(`${testStack().gatewayUrl}/api/docs-json`).then((r) => r.json())) as Document;
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (METHODS.has(method)) operations.push({ name: `${method.toUpperCase()} ${path}`, path, op });
    }
  }
});

/** The schema a $ref names, or the schema itself. */
function resolve(schema: Schema | undefined): Schema | undefined {
  if (!schema?.$ref) return schema;
  return doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')];
}

function forEachOperation(check: (name: string, op: Operation, path: string) => string[]): void {
  const problems = operations.flatMap(({ name, op, path }) => check(name, op, path).map((p) => `${name}: ${p}`));
  expect(problems).toEqual([]);
}

describe('OpenAPI document', () => {
  it('validates against the OpenAPI 3 schema', async () => {
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['api-key', 'bearer', 'cookie']);
    for (const path of ['/api/v1/webhooks', '/api/v1/webhooks/{id}', '/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', '/api/v1/auth/sign-in', '/api/v1/auth/mfa', '/api/v1/auth/mfa/enroll', '/api/v1/accounts', '/api/v1/users/{userId}/disable', '/api/v1/me', '/api/v1/role-requests', '/api/v1/role-requests/{id}/approve', '/api/v1/notifications', '/api/v1/notifications/stream', '/api/v1/notifications/{id}/read', '/health']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(operations.length).toBeGreaterThanOrEqual(20);
  });

  it('allows null only in the way OpenAPI 3.0.3 defines (beside a type, in the enum), so strict validators and generated clients accept the nulls the API sends', () => {
    expect(nullableMisuses(doc)).toEqual([]);
  });

  it('declares every path parameter of every operation', () => {
    forEachOperation((_, op, path) => {
      const declared = new Set((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name));
      return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((name) => !declared.has(name)).map((name) => `path parameter ${name} is not declared`);
    });
  });

  it('gives every operation a summary', () => {
    forEachOperation((_, op) => (op.summary?.trim() ? [] : ['no summary']));
  });

  it('gives every operation a 2xx answer with its JSON schema (or its media type, for 204 and CSV)', () => {
    forEachOperation((name, op) => {
      const ok = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
      if (!ok.length) return ['no 2xx response'];
      return ok.flatMap(([status, res]) => {
        if (status === '204') return res.content ? ['204 declares a body'] : [];
        if (STREAMS[name]) return res.content?.[STREAMS[name]]?.schema ? [] : [`${status} does not declare ${STREAMS[name]}`];
        const problems: string[] = [];
        const json = resolve(res.content?.['application/json']?.schema);
        // oneOf: one of several shapes, each an object of its own (GET /access-reviews/{id}: a campaign or a review).
        const oneOfObjects = Array.isArray(json?.oneOf) && json.oneOf.length > 1 && json.oneOf.every((b: Schema) => Object.keys(resolve(b)?.properties ?? {}).length > 0);
        if (!json || !(json.type || json.properties || json.items || json.allOf || oneOfObjects)) problems.push(`${status} has no application/json schema`);
        if (json?.type === 'object' && !Object.keys(json.properties ?? {}).length) problems.push(`${status} schema is an object with no properties`);
        const other = NON_JSON[name];
        if (other && !res.content?.[other]?.schema) problems.push(`${status} does not declare ${other}`);
        return problems;
      });
    });
  });

  it('documents the errors of every operation as ErrorResponse, with an example', () => {
    const errorResponse = doc.components.schemas.ErrorResponse;
    expect(errorResponse?.required).toEqual(['error']);
    const body = resolve(errorResponse.properties?.error.allOf?.[0] ?? errorResponse.properties?.error);
    expect(body?.required).toEqual(['code', 'message']);
    expect(Object.keys(body?.properties ?? {}).sort()).toEqual(['code', 'details', 'field', 'message']);
    const code = body?.properties?.code;
    expect(resolve(code?.allOf?.[0] ?? code)?.enum?.sort()).toEqual(Object.values(ERROR_CODES).sort());

    forEachOperation((name, op) => {
      const problems: string[] = [];
      const errors = Object.entries(op.responses).filter(([status]) => /^[45]\d\d$/.test(status));
      if (!NO_CLIENT_ERRORS.includes(name) && !errors.some(([status]) => status.startsWith('4'))) problems.push('no 4xx response');
      for (const [status, res] of errors) {
        if (name === 'GET /health' && status === '503') continue; // the health report, not an error
        const media = res.content?.['application/json'];
        if (media?.schema?.$ref !== ERROR_RESPONSE_REF) problems.push(`${status} does not reference ErrorResponse`);
        const examples = media?.example !== undefined ? [media.example] : Object.values(media?.examples ?? {}).map((e) => e.value);
        if (!examples.length) problems.push(`${status} has no example`);
        for (const example of examples) {
          const error = (example as { error?: { code?: string; message?: string } }).error;
          if (!error?.code || !(Object.values(ERROR_CODES) as string[]).includes(error.code) || !error.message) problems.push(`${status} example is not an ErrorResponse`);
        }
      }
      if (!PUBLIC.includes(name) && !op.responses['401']) problems.push('no 401 (it needs credentials)');
      if ((op.requestBody || op.parameters?.length) && !op.responses['400']) problems.push('no 400 (it takes input)');
      if (API_KEY_SCOPED[name] && !op.responses['429']) problems.push('no 429 (API keys are rate-limited)');
      if (RATE_LIMITED_PUBLIC.includes(name) && !op.responses['429']) problems.push('no 429 (rate-limited)');
      return problems;
    });
  });

  it('names who may call every operation: nobody for public routes, people, and API keys with the scope', () => {
    forEachOperation((name, op) => {
      const schemes = (op.security ?? []).flatMap((s) => Object.keys(s)).sort();
      if (PUBLIC.includes(name)) return schemes.length ? [`public, yet requires ${schemes.join(', ')}`] : [];
      const scope = API_KEY_SCOPED[name];
      const expected = scope ? ['api-key', 'bearer', 'cookie'] : ['bearer', 'cookie'];
      const problems = JSON.stringify(schemes) === JSON.stringify(expected) ? [] : [`security is [${schemes.join(', ')}], expected [${expected.join(', ')}]`];
      if (scope && (op['x-api-key-scope'] !== scope || !op.description?.includes(scope))) problems.push(`does not name the API key scope ${scope}`);
      return problems;
    });
  });

  it('serves the OpenAPI UI', async () => {
    const res = await fetch(`${testStack().gatewayUrl}/api/docs`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger-ui');
  });
});
