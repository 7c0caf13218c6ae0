import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ERROR_CODES, type ErrorBody, type ErrorCode } from '@am/contracts';
import { isDatabaseUnavailable } from '@am/service-kit';

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
  MALFORMED_JSON: HttpStatus.BAD_REQUEST,
  PAYLOAD_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  UNDO_WINDOW_CLOSED: HttpStatus.CONFLICT,
  NOT_UNDOABLE: HttpStatus.CONFLICT,
  ALREADY_NOMINATED: HttpStatus.CONFLICT,
  NOMINATION_LAPSED: HttpStatus.CONFLICT,
  ACCESS_REVIEW_CLOSED: HttpStatus.CONFLICT,
  ACCESS_REVIEW_OPEN: HttpStatus.CONFLICT,
  DELIVERY_IN_PROGRESS: HttpStatus.CONFLICT,
  SERVICE_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  INTERNAL: HttpStatus.INTERNAL_SERVER_ERROR,
};

export const CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  400: ERROR_CODES.VALIDATION_FAILED,
  401: ERROR_CODES.UNAUTHENTICATED,
  403: ERROR_CODES.FORBIDDEN,
  404: ERROR_CODES.NOT_FOUND,
  413: ERROR_CODES.PAYLOAD_TOO_LARGE,
  415: ERROR_CODES.UNSUPPORTED_MEDIA_TYPE,
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
  // The gateway's own database work (the shared rate-limit counters) while PostgreSQL is away: try again.
  if (isDatabaseUnavailable(exception)) return { status: 503, body: { code: ERROR_CODES.SERVICE_UNAVAILABLE, message: 'The service is busy or briefly unavailable; try again shortly' } };
  return { status: 500, body: { code: ERROR_CODES.INTERNAL, message: 'Internal error' } };
}

const CODE_OF_BODY_STATUS: Partial<Record<number, ErrorCode>> = { 413: ERROR_CODES.PAYLOAD_TOO_LARGE, 415: ERROR_CODES.UNSUPPORTED_MEDIA_TYPE };

/**
 * Errors of the body parser (http-errors: invalid JSON, too large, unsupported charset or
 * encoding, a body cut short) arrive before any route runs; they are the client's fault and keep
 * the public error shape, each with its own code. The message never repeats the body.
 */
function bodyParserError(exception: unknown): { status: number; body: ErrorBody } | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const e = exception as { status?: unknown; type?: unknown; expose?: unknown; limit?: unknown; encoding?: unknown; charset?: unknown };
  if (typeof e.status !== 'number' || e.status < 400 || e.status >= 500 || e.expose !== true) return undefined;
  switch (e.type) {
    case 'entity.parse.failed':
      return { status: 400, body: { code: ERROR_CODES.MALFORMED_JSON, message: 'The body is not valid JSON: send a JSON object (or array) as UTF-8', field: 'body' } };
    case 'entity.too.large': {
      const limit = typeof e.limit === 'number' ? ` of ${Math.floor(e.limit / 1024)} kB` : '';
      return { status: 413, body: { code: ERROR_CODES.PAYLOAD_TOO_LARGE, message: `The body is larger than the limit${limit}`, field: 'body' } };
    }
    case 'charset.unsupported':
      return {
        status: 415,
        body: { code: ERROR_CODES.UNSUPPORTED_MEDIA_TYPE, message: 'Content-Type names a charset the API does not read: send UTF-8 JSON (application/json)', field: 'content-type' },
      };
    case 'encoding.unsupported':
      return {
        status: 415,
        body: { code: ERROR_CODES.UNSUPPORTED_MEDIA_TYPE, message: 'Content-Encoding is not one the API reads: send the body as is, or gzip, deflate or br', field: 'content-encoding' },
      };
    default:
      return { status: e.status, body: { code: CODE_OF_BODY_STATUS[e.status] ?? ERROR_CODES.VALIDATION_FAILED, message: 'The request body could not be read', field: 'body' } };
  }
}
