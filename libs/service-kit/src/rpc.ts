import { ArgumentsHost, Catch, Logger, type RpcExceptionFilter } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { DomainError, ERROR_CODES, type ErrorBody } from '@am/contracts';
import { firstValueFrom, throwError, timeout, type Observable } from 'rxjs';
import { currentRequestId, RPC_META_KEY } from './logging';

/**
 * Translates errors raised in a microservice handler into the serializable ErrorBody the caller
 * reads; anything that is not a DomainError becomes INTERNAL and is logged, never leaked.
 */
@Catch()
export class DomainRpcExceptionFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('Rpc');

  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    if (exception instanceof DomainError) return throwError(() => exception.toBody());
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (isDatabaseUnavailable(exception)) {
      // The database is overloaded or away for a moment, not broken: a 503 tells the caller to try again.
      const busy: ErrorBody = { code: ERROR_CODES.SERVICE_UNAVAILABLE, message: 'The service is busy or briefly unavailable; try again shortly' };
      return throwError(() => busy);
    }
    const body: ErrorBody = { code: ERROR_CODES.INTERNAL, message: 'Internal error' };
    return throwError(() => body);
  }
}

/** RPCs this process has sent through call(), by pattern, since it started. */
const rpcSent = new Map<string, number>();

/** How many RPCs this process has sent through call(), by pattern (served by serveOperatorCounters). */
export function rpcSentCounts(): Record<string, number> {
  return Object.fromEntries(rpcSent);
}

/**
 * Sends one message and turns the remote ErrorBody back into a DomainError for the caller. The
 * current request id travels along in the message's `_meta` (see RequestContextInterceptor).
 */
export async function call<T>(client: ClientProxy, pattern: string, payload: unknown, timeoutMs = 30_000): Promise<T> {
  rpcSent.set(pattern, (rpcSent.get(pattern) ?? 0) + 1);
  const requestId = currentRequestId();
  const message = requestId && isPlainObject(payload) ? { ...payload, [RPC_META_KEY]: { requestId } } : payload;
  try {
    return await firstValueFrom(client.send<T>(pattern, message).pipe(timeout(timeoutMs)));
  } catch (err) {
    if (DomainError.isErrorBody(err)) throw DomainError.fromBody(err);
    throw new DomainError(ERROR_CODES.SERVICE_UNAVAILABLE, `The ${pattern.split('.')[0]} service did not answer`, undefined, {
      cause: err instanceof Error ? err.message : String(err),
    });
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * Whether an error means the database cannot be reached or is overloaded right now (a retry may
 * succeed), as opposed to a bug: Prisma's pool timeouts (P2024, P2028) and unreachable server
 * (P1001, P1002, P1017); PostgreSQL's connection exceptions (SQLSTATE class 08), shutdown and
 * start-up (57P01-57P03) and too many connections (53300); and the socket errors under them. The
 * codes are looked for on the error and along its causes, where the driver adapter puts them.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e: unknown = err; typeof e === 'object' && e !== null && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const o = e as { code?: unknown; originalCode?: unknown; meta?: { code?: unknown }; message?: unknown; kind?: unknown };
    for (const code of [o.code, o.originalCode, o.meta?.code]) if (typeof code === 'string' && UNAVAILABLE_CODE.test(code)) return true;
    if (typeof o.kind === 'string' && UNAVAILABLE_KIND.has(o.kind)) return true;
    if (typeof o.message === 'string' && UNAVAILABLE_MESSAGE.test(o.message)) return true;
  }
  return false;
}

const UNAVAILABLE_CODE = /^(P1001|P1002|P1017|P2024|P2028|08\w{3}|57P0[123]|53300|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE)$/;
const UNAVAILABLE_KIND = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const UNAVAILABLE_MESSAGE = /Code: `(08\w{3}|57P0[123]|53300)`|Can't reach database server|Connection terminated|ECONNREFUSED|the database system is (shutting down|starting up)/;
