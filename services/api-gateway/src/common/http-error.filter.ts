import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ERROR_CODES, type ErrorBody, type ErrorCode } from '@am/contracts';

/** The HTTP status of each error code (also read by the OpenAPI document). */
export const STATUS_OF: Record<ErrorCode, number> = {
  VALIDATION_FAILED: HttpStatus.BAD_REQUEST,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  ALREADY_DECIDED: HttpStatus.CONFLICT,
  DUPLICATE_PENDING_REQUEST: HttpStatus.CONFLICT,
  ROLE_ALREADY_HELD: HttpStatus.CONFLICT,
  MANAGED_IN_ACO_MS: HttpStatus.UNPROCESSABLE_ENTITY,
  REGISTRATION_CLOSED: HttpStatus.UNPROCESSABLE_ENTITY,
  REGISTRATION_NOT_APPLICABLE: HttpStatus.UNPROCESSABLE_ENTITY,
  THROTTLED: HttpStatus.TOO_MANY_REQUESTS,
  USER_ID_TAKEN: HttpStatus.CONFLICT,
  INVALID_TOKEN: HttpStatus.BAD_REQUEST,
  EMAIL_IN_USE: HttpStatus.CONFLICT,
  EMAIL_NOT_VERIFIED: HttpStatus.FORBIDDEN,
  ACCOUNT_DISABLED: HttpStatus.FORBIDDEN,
  ALREADY_ENROLLED: HttpStatus.CONFLICT,
  IDEMPOTENCY_KEY_REUSED: HttpStatus.UNPROCESSABLE_ENTITY,
  IDEMPOTENCY_KEY_IN_USE: HttpStatus.CONFLICT,
  SERVICE_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  INTERNAL: HttpStatus.INTERNAL_SERVER_ERROR,
};

export const CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  400: ERROR_CODES.VALIDATION_FAILED,
  401: ERROR_CODES.UNAUTHENTICATED,
  403: ERROR_CODES.FORBIDDEN,
  404: ERROR_CODES.NOT_FOUND,
  413: ERROR_CODES.VALIDATION_FAILED,
  429: ERROR_CODES.THROTTLED,
};

/** Every error leaves the gateway as {"error":{"code","message","field"?}} with its status (PRODUCT.md section 5). */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof ReplayedResponse) {
      res.status(exception.statusCode).setHeader('Idempotent-Replayed', 'true');
      res.json(exception.body);
      return;
    }
    const { status, body } = toErrorResponse(exception, this.logger);
    res.status(status).json({ error: body });
  }
}

/**
 * The first answer to a POST with an Idempotency-Key, sent again to a retry as it was (success
 * or refusal). Thrown so that it bypasses the route's own status code.
 */
export class ReplayedResponse {
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
  ) {}
}

/** The status and public error body of any exception; unexpected ones are logged, never leaked. */
export function toErrorResponse(exception: unknown, logger = new Logger('HttpError')): { status: number; body: ErrorBody } {
  if (exception instanceof DomainError) return { status: STATUS_OF[exception.code], body: exception.toBody() };
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = CODE_OF_STATUS[status] ?? (status >= 500 ? ERROR_CODES.INTERNAL : ERROR_CODES.VALIDATION_FAILED);
    return { status, body: { code, message: exception.message } };
  }
  const parse = bodyParserError(exception);
  if (parse) return parse;
  logger.error(exception instanceof Error ? exception.stack : String(exception));
  return { status: 500, body: { code: ERROR_CODES.INTERNAL, message: 'Internal error' } };
}

/**
 * Errors of the body parser (http-errors: invalid JSON, too large, unsupported charset) arrive
 * before any route runs; they are the client's fault and keep the public error shape.
 */
function bodyParserError(exception: unknown): { status: number; body: ErrorBody } | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const e = exception as { status?: unknown; type?: unknown; expose?: unknown };
  if (typeof e.status !== 'number' || e.status < 400 || e.status >= 500 || e.expose !== true) return undefined;
  const message =
    e.type === 'entity.parse.failed'
      ? 'body is not valid JSON'
      : e.type === 'entity.too.large'
        ? 'body is larger than the 100 kB limit'
        : e.type === 'charset.unsupported' || e.type === 'encoding.unsupported'
          ? 'content-type names an unsupported charset or encoding: send UTF-8 JSON'
          : 'the request body could not be read';
  const field = e.type === 'charset.unsupported' || e.type === 'encoding.unsupported' ? 'content-type' : 'body';
  return { status: e.status, body: { code: ERROR_CODES.VALIDATION_FAILED, message, field } };
}
