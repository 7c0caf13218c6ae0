import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject, type OperationObject, type ParameterObject, type ResponseObject } from '@nestjs/swagger';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { OPENAPI_API_KEY_SCOPE, OPENAPI_PUBLIC } from '../auth/principal';
import { ERROR_CODES, type ErrorCode } from '@am/contracts';
import { ERROR_EXAMPLES, ErrorResponse, PATH_ERROR_EXAMPLES } from './error.responses';
import { STATUS_OF } from './http-error.filter';

/** The names of the security schemes of the document. */
export const SECURITY_SCHEMES = { bearer: 'bearer', cookie: 'cookie', apiKey: 'api-key' } as const;

const ERROR_RESPONSE_REF = '#/components/schemas/ErrorResponse';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/** The errors any operation may answer, described once here rather than on every method. */
const GENERIC_ERRORS = {
  400: 'A parameter, header or body field is malformed (VALIDATION_FAILED), or the body is not valid JSON (MALFORMED_JSON): `field` names it',
  401: 'No valid credentials: sign in (POST /api/v1/auth/sign-in, then /auth/mfa), or the session has ended, or the API key is unknown or revoked',
  403: 'Not allowed: the caller lacks the role this needs; or, with the session cookie, X-CSRF-Token is missing or wrong (POST/PUT/DELETE); or an API key without the scope',
  409: 'A request with this Idempotency-Key is still being processed (IDEMPOTENCY_KEY_IN_USE): retry shortly',
  422: 'This Idempotency-Key was used before with a different request (IDEMPOTENCY_KEY_REUSED)',
  413: 'The body is larger than the gateway reads (PAYLOAD_TOO_LARGE): 100 kB by default',
  415: 'The body is not JSON: send Content-Type: application/json, UTF-8 (UNSUPPORTED_MEDIA_TYPE)',
  429: 'The API key made more calls in a minute than it may (THROTTLED): Retry-After says when to retry',
  503: 'A service behind the gateway did not answer in time (SERVICE_UNAVAILABLE): retry later',
} as const;

/** The OpenAPI document at /api/docs-json and its UI at /api/docs. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, createOpenApiDocument(app), { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });
}

export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Access Manager API')
    .setDescription(
      'Public API v1: sign-in, role requests and their decisions, organizations, audit and API keys. ' +
        'People authenticate with the bearer token from POST /api/v1/auth/mfa (or, in the web UI, its session cookie); other systems with an API key, ' +
        'on the operations that name the scope it needs. Every error is an ErrorResponse: {"error":{"code","message","field"?,"details"?}}. ' +
        'Every POST accepts an Idempotency-Key: a retry with the same key gets the first answer again.',
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'People: the accessToken from POST /api/v1/auth/mfa' }, SECURITY_SCHEMES.bearer)
    .addCookieAuth(
      'am_session',
      { type: 'apiKey', in: 'cookie', name: 'am_session', description: 'The web UI: session cookie set by POST /api/v1/auth/mfa with session=cookie; unsafe methods also send X-CSRF-Token' },
      SECURITY_SCHEMES.cookie,
    )
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'Other systems: a key the help desk created, with scopes; X-On-Behalf-Of names the user for requests:submit' },
      SECURITY_SCHEMES.apiKey,
    )
    .build();
  return completeOpenApiDocument(SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponse] }));
}

/**
 * What the decorators leave out, added the same way to every operation (documentation only):
 * - security: none on @Public() routes; bearer or cookie for people; and api-key on routes marked
 *   @ApiKeyScoped(scope), whose description names the scope;
 * - the Idempotency-Key header of every POST;
 * - the errors any operation may answer (400, 413 and 415 for a body sent to it, and 400 for bad input, 401 and 403 unless public,
 *   409/422 of Idempotency-Key on POSTs, 429 where an API key may call, 503 behind which a service
 *   answers), and the ErrorResponse body, with an example, on every 4xx and 5xx without a body.
 */
export function completeOpenApiDocument(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (op) completeOperation(path, method, op);
    }
  }
  makeNullablesMeanIt(document);
  return document;
}

type Schema = SchemaObject & { allOf?: (SchemaObject | ReferenceObject)[] };

/**
 * `nullable: true` on a property typed by another schema (`type: () => PersonRef` or an enum with
 * `enumName`) comes out of @nestjs/swagger as `nullable` beside `allOf: [{ $ref }]`. Under OpenAPI
 * 3.0.3, `nullable` only adds null to a `type` in the same Schema Object, and the referenced schema
 * still refuses null: strict validators (Prism, Ajv) and generated clients reject the null the API
 * sends (issue 16). So each such property is rewritten to a form that allows null by the letter of
 * the specification, made from the referenced schema here, so that the two never drift:
 * - an enum: its values and null, with the enum's type (`{ type: 'string', enum: ['HELP_DESK', null], nullable: true }`);
 * - an object: the object's properties inline, with `type: 'object', nullable: true`.
 * A nullable enum written inline gets its null too.
 */
function makeNullablesMeanIt(document: OpenAPIObject): void {
  const components = document.components?.schemas ?? {};
  const target = (ref: string): Schema | undefined => components[ref.replace('#/components/schemas/', '')] as Schema | undefined;
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const schema = node as Schema;
    if (schema.nullable === true) {
      const only = schema.allOf?.length === 1 && '$ref' in schema.allOf[0] ? target(schema.allOf[0].$ref) : undefined;
      if (only?.enum) {
        delete schema.allOf;
        Object.assign(schema, { type: only.type ?? 'string', enum: [...only.enum.filter((v) => v !== null), null] });
      } else if (only && (only.type === 'object' || only.properties)) {
        delete schema.allOf;
        Object.assign(schema, { type: 'object', properties: only.properties, required: only.required });
        if (only.additionalProperties !== undefined) schema.additionalProperties = only.additionalProperties;
      } else if (Array.isArray(schema.enum) && !schema.enum.includes(null)) {
        schema.enum = [...schema.enum, null];
      }
    }
    for (const value of Object.values(schema)) visit(value);
  };
  visit(components);
  visit(document.paths);
}

function completeOperation(path: string, method: string, op: OperationObject): void {
  const extensions = op as unknown as Record<string, unknown>;
  const isPublic = extensions[OPENAPI_PUBLIC] === true;
  const scope = extensions[OPENAPI_API_KEY_SCOPE] as string | undefined;
  delete extensions[OPENAPI_PUBLIC];

  if (isPublic) {
    op.security = [];
  } else {
    op.security = [{ [SECURITY_SCHEMES.bearer]: [] }, { [SECURITY_SCHEMES.cookie]: [] }, ...(scope ? [{ [SECURITY_SCHEMES.apiKey]: [] }] : [])];
    const who = scope
      ? `People (bearer or cookie), or an API key with the scope \`${scope}\`.`
      : 'People only (bearer or cookie): an API key is refused (403).';
    op.description = op.description ? `${op.description}\n\n${who}` : who;
  }

  if (method === 'post') addIdempotencyKeyHeader(path, op, isPublic);

  const hasInput = Boolean(op.requestBody) || (op.parameters?.length ?? 0) > 0;
  const hasIdempotency = method === 'post' && !path.startsWith('/api/v1/auth/') && !isPublic;
  const isHealth = path === '/health';
  const add = (status: keyof typeof GENERIC_ERRORS, when: boolean, description: string = GENERIC_ERRORS[status]) => {
    if (!when) return;
    const declared = op.responses[status] as ResponseObject | undefined;
    if (!declared) op.responses[status] = { description };
    // A declared 409/422 of a POST is also the answer to a misused Idempotency-Key.
    else if (hasIdempotency && (status === 409 || status === 422) && !declared.description.includes('IDEMPOTENCY_KEY')) {
      declared.description = `${declared.description}. Or: ${GENERIC_ERRORS[status].charAt(0).toLowerCase()}${GENERIC_ERRORS[status].slice(1)}`;
    }
  };
  // Bodies are read on every route before it runs (request-body.ts): whatever the operation takes,
  // a body sent to it that is malformed JSON, too large or not JSON is refused (400, 413, 415).
  add(400, true, hasInput ? undefined : 'This operation takes no body, and the one sent is not valid JSON (MALFORMED_JSON)');
  add(413, true);
  add(415, true);
  add(401, !isPublic);
  add(403, !isPublic);
  add(409, hasIdempotency);
  add(422, hasIdempotency);
  add(429, Boolean(scope));
  add(503, !isHealth);

  for (const [status, response] of Object.entries(op.responses)) {
    const code = Number(status);
    if (code < 400 || !response || '$ref' in response) continue;
    const res = response as ResponseObject;
    if (!res.description) res.description = GENERIC_ERRORS[code as keyof typeof GENERIC_ERRORS] ?? 'Error';
    if (res.content) continue;
    const examples = errorCodesOf(code, res.description).map((c) => PATH_ERROR_EXAMPLES[path]?.[c] ?? ERROR_EXAMPLES[c]);
    res.content = {
      'application/json':
        examples.length === 1
          ? { schema: { $ref: ERROR_RESPONSE_REF }, example: { error: examples[0] } }
          : { schema: { $ref: ERROR_RESPONSE_REF }, examples: Object.fromEntries(examples.map((e) => [e.code, { summary: e.code, value: { error: e } }])) },
    };
  }
}

/** The codes an error response's description names (e.g. "(ALREADY_DECIDED)"), else the usual code of its status. */
function errorCodesOf(status: number, description: string): ErrorCode[] {
  const all = Object.values(ERROR_CODES);
  const named = all.filter((c) => STATUS_OF[c] === status && new RegExp(`\\b${c}\\b`).test(description));
  if (named.length) return named;
  const usual = all.find((c) => STATUS_OF[c] === status) ?? (status < 500 ? ERROR_CODES.VALIDATION_FAILED : ERROR_CODES.INTERNAL);
  return [usual];
}

function addIdempotencyKeyHeader(path: string, op: OperationObject, isPublic: boolean): void {
  const parameters = (op.parameters ??= []);
  if (parameters.some((p) => 'in' in p && p.in === 'header' && p.name.toLowerCase() === 'idempotency-key')) return;
  const header: ParameterObject = {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
    description: path.startsWith('/api/v1/auth/')
      ? 'Accepted and ignored here: sign-in answers carry credentials and are never stored'
      : isPublic
        ? 'Accepted and ignored here: these requests carry passwords or single-use tokens, which are never stored'
      : 'Makes a retry safe: the first answer (success or refusal) is kept and a retry with the same key gets it again (Idempotent-Replayed: true)',
    example: '7f0e5b0c-2d1a-4c3b-9e8f-1a2b3c4d5e6f',
  };
  parameters.push(header);
}
