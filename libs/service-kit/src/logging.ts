import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type CallHandler, type ExecutionContext, type LoggerService, type NestInterceptor } from '@nestjs/common';
import pino, { type Logger as Pino } from 'pino';
import { tap, type Observable } from 'rxjs';

/**
 * The id of the HTTP request being served (X-Request-Id, or one the gateway made up). The gateway
 * sets it per request; `call()` carries it to the services in the message's `_meta`; the services'
 * RequestContextInterceptor restores it; every log line written meanwhile carries it, and the
 * workflows started for the request keep it in their memo.
 */
export interface RequestContext {
  requestId: string;
}
export const requestContext = new AsyncLocalStorage<RequestContext>();
export const currentRequestId = (): string | undefined => requestContext.getStore()?.requestId;

/** Where `call()` puts the request context in a message, and the services take it out again. */
export const RPC_META_KEY = '_meta';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** A caller's X-Request-Id when it is a sane token, else a new one. */
export function requestIdFrom(header: string | undefined): string {
  return header && REQUEST_ID.test(header) ? header : randomUUID();
}

/** Nest's logger, writing one JSON object per line through pino, with the request id when there is one. */
export class JsonLogger implements LoggerService {
  readonly pino: Pino;

  constructor(service: string, level = process.env.LOG_LEVEL ?? 'info') {
    this.pino = pino({
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
    });
  }

  log(message: unknown, ...rest: unknown[]) {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    // Nest passes (message, stack?, context?).
    const context = rest.length > 1 || (rest.length === 1 && !String(rest[0]).includes('\n')) ? rest.pop() : undefined;
    const stack = rest.find((r) => typeof r === 'string');
    this.emit('error', message, { context, ...(stack ? { stack } : {}) });
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('fatal', message, rest);
  }

  private write(level: pino.Level, message: unknown, rest: unknown[]) {
    const context = typeof rest[rest.length - 1] === 'string' ? rest[rest.length - 1] : undefined;
    this.emit(level, message, { context });
  }

  private emit(level: pino.Level, message: unknown, fields: Record<string, unknown>) {
    if (message instanceof Error) this.pino[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.pino[level]({ ...fields, ...message });
    else this.pino[level](fields, String(message));
  }
}

/**
 * Restores the request context a message carries (see RPC_META_KEY) around its handler, and writes
 * one log line per message handled for a request (handler, outcome, milliseconds).
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Rpc');

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'rpc') return next.handle();
    const data = ctx.switchToRpc().getData<Record<string, unknown> | undefined>();
    const meta = data && typeof data === 'object' ? (data[RPC_META_KEY] as { requestId?: unknown } | undefined) : undefined;
    if (!meta) return next.handle();
    delete data![RPC_META_KEY];
    if (typeof meta.requestId !== 'string') return next.handle();
    const requestId = meta.requestId;
    const handler = `${ctx.getClass().name}.${ctx.getHandler().name}`;
    const started = Date.now();
    const done = (outcome: string) => {
      if (ctx.getHandler().name !== 'health') requestContext.run({ requestId }, () => this.logger.log({ msg: 'rpc', handler, outcome, ms: Date.now() - started }));
    };
    // handle() binds the async context it is called in: the handler runs inside this one.
    return requestContext.run({ requestId }, () => next.handle()).pipe(
      tap({ next: () => done('ok'), error: (err: unknown) => done(typeof err === 'object' && err && 'code' in err ? String(err.code) : 'error') }),
    );
  }
}
