// The published OpenAPI document as a contract that every answer of the gateway is held to
// (issue 16): which operation a request reached, whether the document declares the status it got,
// the media type it came with, and, for JSON, its body against the declared schema. Pure: it knows
// no server; test/support/openapi-contract-hook.ts applies it to every answer the tests receive.
//
// The schemas are checked by Ajv (JSON Schema draft-07, which OpenAPI 3.0's Schema Object extends)
// with ajv-formats, against the document as served, refs and all. OpenAPI 3.0.3's `nullable` is
// Ajv's own keyword with the same meaning: it adds null to the `type` beside it, and only there.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** One answer as a client received it. `body` is the text of a body that was read, else undefined. */
export interface ObservedAnswer {
  method: string;
  url: string;
  status: number;
  contentType: string | null;
  body?: string;
}

/** What the contract found about one answer: nothing when it conforms. */
export interface ContractFinding {
  /** The route and status, as a reader looks them up in the document: "GET /api/v1/me → 200". */
  where: string;
  problems: string[];
}

interface MediaTypeObject {
  schema?: unknown;
}
interface ResponseObject {
  content?: Record<string, MediaTypeObject>;
}
interface OperationObject {
  responses: Record<string, ResponseObject>;
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, unknown> };
}
interface Route {
  template: string;
  method: string;
  pattern: RegExp;
  literalLength: number;
  operation: OperationObject;
}

/** The answers to an unreadable body, which the gateway gives on any path before routing (request-body.ts). */
const BODY_REFUSALS: Record<number, string> = { 400: 'MALFORMED_JSON', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
/** Where the document sits inside Ajv: its schemas are reached by JSON pointer from here, refs and all. */
const DOCUMENT_ID = 'urn:access-manager:openapi';
/** OpenAPI's annotations and containers that are not JSON Schema keywords: no validation meaning. */
const OPENAPI_ANNOTATIONS = ['example', 'xml', 'externalDocs', 'discriminator', 'openapi', 'info', 'servers', 'paths', 'components', 'security', 'tags'];

export class OpenApiContract {
  private readonly ajv: Ajv;
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction | Error>();

  constructor(private readonly document: OpenApiDocument) {
    if (!/^3\.0\./.test(document.openapi)) throw new Error(`OpenApiContract reads OpenAPI 3.0 documents; this one is ${document.openapi}`);
    // strict: a keyword Ajv does not know, or nullable without a type, is an error in the document.
    this.ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, strictTypes: false, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addVocabulary(OPENAPI_ANNOTATIONS);
    this.ajv.addSchema(structuredClone(document) as object, DOCUMENT_ID);
    this.routes = Object.entries(document.paths).flatMap(([template, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, operation]) => ({
          template,
          method: method.toUpperCase(),
          pattern: new RegExp(`^${template.split(/\{[^}]+\}/).map(escapeRegExp).join('[^/]+')}$`),
          literalLength: template.replace(/\{[^}]+\}/g, '').length,
          operation,
        })),
    );
    // A literal segment wins over a parameter: /role-requests/decisions before /role-requests/{id}.
    this.routes.sort((a, b) => b.literalLength - a.literalLength);
  }

  /** Checks one answer. */
  check(answer: ObservedAnswer): ContractFinding {
    const method = answer.method.toUpperCase();
    // As the server routes: a trailing slash names the same operation (Express's non-strict routing).
    const path = new URL(answer.url).pathname.replace(/(.)\/$/, '$1');
    const route = this.routes.find((r) => r.method === (method === 'HEAD' ? 'GET' : method) && r.pattern.test(path)) ?? this.routes.find((r) => r.method === method && r.pattern.test(path));
    if (!route) return this.checkUndocumented(method, path, answer);

    const where = `${method} ${route.template} → ${answer.status}`;
    const responses = route.operation.responses;
    const key = [String(answer.status), `${String(answer.status)[0]}XX`, 'default'].find((k) => responses[k]);
    if (!key) return { where, problems: [`status ${answer.status} is not documented for ${route.method} ${route.template} (documented: ${Object.keys(responses).join(', ')})`] };
    const declared = responses[key];
    const pointer = `#/paths/${escapePointer(route.template)}/${route.method.toLowerCase()}/responses/${key}`;
    return { where, problems: this.checkBody(declared, pointer, answer, method) };
  }

  private checkUndocumented(method: string, path: string, answer: ObservedAnswer): ContractFinding {
    const where = `${method} ${path} → ${answer.status}`;
    // A route the document does not have must not exist: 404 (or 405), or the refusal of an
    // unreadable body that comes before any routing (400/413/415), in the error shape of every other error.
    const code = errorCodeOf(answer.body);
    const refusedBody = BODY_REFUSALS[answer.status] !== undefined && BODY_REFUSALS[answer.status] === code;
    if (answer.status !== 404 && answer.status !== 405 && !refusedBody) {
      return { where, problems: [`${method} ${path} is not in the document, yet it answered ${answer.status}${code ? ` ${code}` : ''}: document the operation, or answer 404`] };
    }
    const errorSchema = '#/components/schemas/ErrorResponse';
    return { where, problems: this.checkMedia({ 'application/json': { schema: { $ref: errorSchema } } }, errorSchema, answer, true) };
  }

  private checkBody(declared: ResponseObject, pointer: string, answer: ObservedAnswer, method: string): string[] {
    if (!declared.content || method === 'HEAD') {
      return answer.body ? [`the document declares no body for this status, yet ${answer.body.length} characters came`] : [];
    }
    return this.checkMedia(declared.content, `${pointer}/content`, answer, false);
  }

  private checkMedia(content: Record<string, MediaTypeObject>, pointer: string, answer: ObservedAnswer, isErrorShape: boolean): string[] {
    const received = answer.contentType?.split(';')[0].trim().toLowerCase() ?? '';
    const declaredTypes = Object.keys(content);
    const mediaType = declaredTypes.find((t) => t.toLowerCase() === received) ?? declaredTypes.find((t) => t.endsWith('/*') && received.startsWith(t.slice(0, -1)));
    if (!mediaType) return [`Content-Type is ${received || 'missing'}; the document declares ${declaredTypes.join(', ')}`];
    if (!isJson(mediaType) || answer.body === undefined || !content[mediaType].schema) return [];

    let data: unknown;
    try {
      data = answer.body === '' ? undefined : JSON.parse(answer.body);
    } catch {
      return [`the body is not JSON, though it came as ${received}: ${truncate(answer.body)}`];
    }
    if (data === undefined) return ['the body is empty; the document declares a JSON body'];
    const validate = this.validator(isErrorShape ? pointer : `${pointer}/${escapePointer(mediaType)}/schema`);
    if (validate instanceof Error) return [`the document's schema for it cannot be used: ${validate.message}`, ...nullableMisuses(this.document).map((m) => `the document: ${m}`)];
    if (validate(data)) return [];
    return describeErrors(validate.errors ?? [], data);
  }

  /** The compiled schema at a JSON pointer into the document (a compile error is kept and told, once per schema). */
  private validator(pointer: string): ValidateFunction | Error {
    let v = this.validators.get(pointer);
    if (!v) {
      try {
        v = this.ajv.compile({ $ref: `${DOCUMENT_ID}${pointer.startsWith('#') ? pointer : `#${pointer}`}` });
      } catch (err) {
        v = err instanceof Error ? err : new Error(String(err));
      }
      this.validators.set(pointer, v);
    }
    return v;
  }
}

/**
 * The schemas whose `nullable` cannot mean anything under OpenAPI 3.0.3: without a `type` beside it
 * (e.g. next to an allOf of a $ref), or beside an enum that lacks null. Strict validators (Ajv,
 * Prism) refuse null there, whatever the description says.
 */
export function nullableMisuses(document: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown, pointer: string) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${pointer}/${i}`));
    const o = node as Record<string, unknown>;
    if (o.nullable === true && o.type === undefined) out.push(`${pointer}: nullable without a type`);
    if (o.nullable === true && Array.isArray(o.enum) && !o.enum.includes(null)) out.push(`${pointer}: nullable with an enum that lacks null`);
    if (o.nullable === true && Array.isArray(o.allOf)) out.push(`${pointer}: nullable beside allOf (each allOf branch must also accept null)`);
    for (const [k, v] of Object.entries(o)) walk(v, `${pointer}/${escapePointer(k)}`);
  };
  walk(document, '#');
  return out;
}

/** The contract's findings as one message naming the route, the status and each JSON path that broke. */
export function formatFinding(finding: ContractFinding): string {
  return `The answer breaks the OpenAPI document (GET /api/docs-json): ${finding.where}\n${finding.problems.map((p) => `  - ${p}`).join('\n')}`;
}

function describeErrors(errors: ErrorObject[], data: unknown): string[] {
  // allOf/anyOf report a branch's error and then their own: keep the most precise ones.
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'allOf' || e.keyword === 'if') {
      if (errors.some((other) => other !== e && other.instancePath.startsWith(e.instancePath) && other.schemaPath.startsWith(e.schemaPath.replace(/\/[^/]+$/, '')))) continue;
    }
    const at = jsonPath(e.instancePath);
    const detail = e.keyword === 'enum' ? `${e.message} (${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)})` : e.keyword === 'additionalProperties' ? `${e.message} (${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)})` : e.message;
    const line = `${at}: ${detail}; got ${truncate(JSON.stringify(valueAt(data, e.instancePath)) ?? 'nothing')}`;
    if (!seen.has(line)) out.push(line);
    seen.add(line);
  }
  return out;
}

/** "/user/roles/0/role" → "$.user.roles[0].role". */
export function jsonPath(instancePath: string): string {
  if (!instancePath) return '$';
  return `$${instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`))
    .join('')}`;
}

function valueAt(data: unknown, instancePath: string): unknown {
  let v = data;
  for (const part of instancePath.split('/').slice(1)) v = (v as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return v;
}

function errorCodeOf(body: string | undefined): string | undefined {
  try {
    const code = (JSON.parse(body ?? '') as { error?: { code?: unknown } } | null)?.error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

function isJson(mediaType: string): boolean {
  return /^application\/(.+\+)?json$/i.test(mediaType);
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function truncate(s: string, max = 200): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
