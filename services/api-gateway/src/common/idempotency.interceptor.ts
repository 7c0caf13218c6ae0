import { createHash } from 'node:crypto';
import { HttpStatus, Inject, Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { ClientProxy } from '@nestjs/microservices';
import type { Request } from 'express';
import { catchError, from, mergeMap, type Observable } from 'rxjs';
import { v5 as uuidv5 } from 'uuid';
import {
  DIRECTORY_CLIENT,
  DIRECTORY_PATTERNS,
  DomainError,
  ERROR_CODES,
  type IdempotencyBeginResult,
  type IdempotencyRef,
} from '@am/contracts';
import { call } from '@am/service-kit';
import { callerKey, IS_PUBLIC, type AuthenticatedRequest } from '../auth/principal';
import { ReplayedResponse, toErrorResponse } from './http-error.filter';

const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

/** The namespace of the name-based (v5) ids derived from Idempotency-Keys. */
const CALL_ID_NAMESPACE = '6f1d3c2a-8e4b-5a7c-9d0e-1b2c3d4e5f60';

/**
 * An id for one call, derived from what it does, the caller and its Idempotency-Key: every retry
 * of the call has the same id, so one that arrives after the first attempt was cut off mid-way (a
 * gateway or service instance lost, an answer never delivered) finds the first attempt's work (the
 * request a submission created, the Update a decision sent) and never does it twice. Other callers'
 * keys give other ids. The key-claim above answers most retries; this covers the attempts it cannot.
 */
export function idempotentCallId(action: string, caller: string, idempotencyKey: string): string {
  // JSON: no choice of key can make two different (action, caller, key) triples read the same.
  return uuidv5(JSON.stringify([action, caller, idempotencyKey]), CALL_ID_NAMESPACE);
}

const WITHHELD = 'idempotencyWithholds';
/**
 * A secret in a route's answer that is shown once and never kept (issue 14): the stored answer
 * that a retry with the same Idempotency-Key replays lacks the field and says so in `<field>Withheld`.
 */
export const IdempotentReplayWithholds = (field: string, why: string) => SetMetadata(WITHHELD, { field, why });

const WAIT_FOR_FIRST_MS = 10_000;

/**
 * Idempotency-Key on every POST (PRODUCT.md section 5): the first request with a key runs and its
 * answer (success or refusal) is kept; a retry with the same key, even one arriving while the
 * first still runs, gets that answer and changes nothing. Sign-in answers carry credentials and
 * are never stored: the key is accepted there and has no effect; so on the other public routes
 * (accounts), whose callers are nobody in particular and whose bodies carry passwords and tokens.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
    private readonly reflector: Reflector,
  ) {}

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = ctx.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const key = req.headers['idempotency-key'];
    if (req.method !== 'POST' || key === undefined) return next.handle();
    if (typeof key !== 'string' || !KEY_FORMAT.test(key)) {
      throw new DomainError(ERROR_CODES.VALIDATION_FAILED, 'Idempotency-Key must be 1 to 255 visible ASCII characters', 'Idempotency-Key');
    }
    if (req.path.startsWith('/api/v1/auth/') || this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) return next.handle();

    const ref: IdempotencyRef = { principal: callerKey(req.principal), key };
    const requestHash = createHash('sha256').update(JSON.stringify(req.body ?? null)).digest('hex');
    const begin = () => call<IdempotencyBeginResult>(this.directory, DIRECTORY_PATTERNS.idempotencyBegin, { ...ref, method: req.method, path: req.path, requestHash });

    let state = await begin();
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    while (state.state === 'in-progress') {
      if (Date.now() > deadline) {
        throw new DomainError(ERROR_CODES.IDEMPOTENCY_KEY_IN_USE, 'A request with this Idempotency-Key is still being processed: retry shortly', 'Idempotency-Key');
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = await begin();
    }
    if (state.state === 'completed') throw new ReplayedResponse(state.statusCode, state.response);

    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, ctx.getHandler()) ?? HttpStatus.CREATED;
    const withheld = this.reflector.get<{ field: string; why: string } | undefined>(WITHHELD, ctx.getHandler());
    const kept = (body: unknown) => {
      if (!withheld || typeof body !== 'object' || body === null || !(withheld.field in body)) return body;
      const rest: Record<string, unknown> = { ...(body as Record<string, unknown>) };
      delete rest[withheld.field];
      return { ...rest, [`${withheld.field}Withheld`]: withheld.why };
    };
    const finish = (statusCode: number, response: unknown) => call(this.directory, DIRECTORY_PATTERNS.idempotencyFinish, { ...ref, statusCode, response: kept(response) });
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        await finish(status, body ?? null);
        return body;
      }),
      catchError((err: unknown) =>
        from(
          (async () => {
            const { status: errorStatus, body } = toErrorResponse(err);
            // A refusal is the answer and is kept; a failure of ours is not: the retry runs again.
            if (errorStatus < 500) await finish(errorStatus, { error: body });
            else await call(this.directory, DIRECTORY_PATTERNS.idempotencyAbandon, ref);
            throw err;
          })(),
        ),
      ),
    );
  }
}
