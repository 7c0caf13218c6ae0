// Holds every answer of a gateway that a test receives to the OpenAPI document the gateway
// publishes (issue 16). test/setup/openapi-contract.ts installs it for every integration test file:
// global fetch is wrapped, the helpers that speak raw HTTP (test/support/http.ts) call
// checkGatewayAnswer themselves, and the browser of the UI tests hands over what the web UI receives. A mismatch fails the test that received it: the call that received
// it throws, and should the test swallow that, the hook's afterEach fails the test all the same.
//
// Which answers, and how:
// - Gateways are on loopback. Their API is /health and /api/v1/**; on the run's main gateway all of
//   /api/** (an unknown /api/ route is checked too). /api/docs* is the document and its UI, and
//   every other path is the web UI (HTML and assets): neither is part of the document.
// - OPTIONS is a CORS preflight, answered by the CORS layer, not an operation of the API.
// - An operation the document has: its status must be documented; the Content-Type one of the
//   media types documented for that status; a JSON body valid against its schema; no body where
//   none is documented. Bodies that are not JSON (CSV, calendars) are checked by media type, and a
//   Server-Sent Events stream (text/event-stream) by status and media type, without reading it.
// - A route the document does not have must answer 404 (or 405) with the ErrorResponse body.
import { testStack } from '../setup/stack';
import { formatFinding, OpenApiContract, type ObservedAnswer } from './openapi-contract';

/** The fetch of the runtime, before any wrapping: the document is read with it. */
const rawFetch: typeof fetch = globalThis.fetch;

let contract: Promise<OpenApiContract> | undefined;
/** Violations received since the last check by the hooks, whether or not the test saw them thrown. */
const pending: ContractViolation[] = [];

export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

function loadContract(): Promise<OpenApiContract> {
  contract ??= (async () => {
    const res = await rawFetch(`${testStack().gatewayUrl}/api/docs-json`);
    if (!res.ok) throw new Error(`GET /api/docs-json answered ${res.status}: the contract cannot be checked`);
    return new OpenApiContract((await res.json()) as never);
  })();
  contract.catch(() => (contract = undefined));
  return contract;
}

/** Checks against this document instead of the one the run's gateway serves (the hook's own tests). */
export function useDocument(document: unknown): void {
  contract = Promise.resolve(new OpenApiContract(document as never));
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** Whether an answer from this URL is an answer of a gateway's API, which the document describes. */
export function isGatewayApi(url: URL): boolean {
  if (!LOOPBACK.test(url.hostname)) return false;
  const p = url.pathname;
  if (p.startsWith('/api/docs')) return false;
  if (p === '/health' || p === '/api/v1' || p.startsWith('/api/v1/')) return true;
  let main: string | undefined;
  try {
    main = new URL(testStack().gatewayUrl).origin;
  } catch {
    return false;
  }
  return url.origin === main && (p === '/api' || p.startsWith('/api/'));
}

/** Checks an answer received from a gateway (anything else passes); throws a ContractViolation on a mismatch. */
export async function checkGatewayAnswer(answer: ObservedAnswer): Promise<void> {
  if (answer.method.toUpperCase() === 'OPTIONS' || !isGatewayApi(new URL(answer.url))) return;
  const finding = (await loadContract()).check(answer);
  if (!finding.problems.length) return;
  const violation = new ContractViolation(formatFinding(finding));
  pending.push(violation);
  throw violation;
}

/** Whether fetch's answer to this request is checked, and whether its body is read for that. */
function bodyToRead(method: string, contentType: string | null): boolean {
  if (method === 'HEAD') return false;
  const type = contentType?.split(';')[0].trim().toLowerCase() ?? '';
  // JSON is read (from a clone: the test reads the answer as usual); a stream is never read here.
  return type === '' || /^application\/(.+\+)?json$/.test(type);
}

/** fetch, with every gateway answer checked against the document before the caller gets it. */
export function checkedFetch(inner: typeof fetch = rawFetch): typeof fetch {
  return async function fetchCheckedAgainstOpenApi(input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> {
    const res = await inner(input, init);
    const request = input instanceof Request ? input : undefined;
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const url = new URL(res.url || (request ? request.url : String(input)));
    if (method === 'OPTIONS' || !isGatewayApi(url)) return res;
    const contentType = res.headers.get('content-type');
    const body = bodyToRead(method, contentType) ? await res.clone().text() : undefined;
    await checkGatewayAnswer({ method, url: url.href, status: res.status, contentType, body });
    return res;
  };
}

/** What the hook reads of an answer a browser received (Playwright's Response). */
export interface BrowserAnswer {
  url(): string;
  status(): number;
  headers(): Record<string, string>;
  request(): { method(): string };
  text(): Promise<string>;
}

/**
 * Checks an answer the web UI received in the browser (test/ui/browser.ts hands it every one): the
 * web UI is the API's first client. A mismatch is kept, and fails the test in afterEach.
 */
export async function checkBrowserAnswer(r: BrowserAnswer): Promise<void> {
  const url = new URL(r.url());
  const method = r.request().method().toUpperCase();
  if (method === 'OPTIONS' || !isGatewayApi(url)) return;
  const contentType = r.headers()['content-type'] ?? null;
  let body: string | undefined;
  if (bodyToRead(method, contentType)) {
    try {
      body = await r.text();
    } catch {
      return; // the page went away before the body came: nothing was received
    }
  }
  await checkGatewayAnswer({ method, url: url.href, status: r.status(), contentType, body }).catch(() => undefined);
}

/**
 * Fails the current test (afterEach) or file (afterAll) with the violations received since the last
 * call, so that a test which caught the thrown violation (or never awaited the call) fails too.
 */
export function failOnPendingViolations(): void {
  if (!pending.length) return;
  const violations = pending.splice(0);
  throw new ContractViolation(
    `${violations.length} answer(s) of the gateway broke the OpenAPI document during this test:\n\n${violations.map((v) => v.message).join('\n\n')}`,
  );
}
