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
    if (isPoolExhausted(exception)) {
      // The database is overloaded, not broken: a 503 tells the caller to try again.
      const busy: ErrorBody = { code: ERROR_CODES.SERVICE_UNAVAILABLE, message: 'The service is busy; try again shortly' };
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

/** Prisma's "no connection from the pool in time" (P2024) and "could not start a transaction in time" (P2028). */
function isPoolExhausted(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return code === 'P2024' || code === 'P2028';
}
