/**
 * Error codes of the domain. Each transport translates them once: the gateway to HTTP statuses,
 * microservices to RPC errors, activities to non-retryable ApplicationFailures of the same type.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  ALREADY_DECIDED: 'ALREADY_DECIDED',
  DUPLICATE_PENDING_REQUEST: 'DUPLICATE_PENDING_REQUEST',
  ROLE_ALREADY_HELD: 'ROLE_ALREADY_HELD',
  MANAGED_IN_ACO_MS: 'MANAGED_IN_ACO_MS',
  REGISTRATION_CLOSED: 'REGISTRATION_CLOSED',
  REGISTRATION_NOT_APPLICABLE: 'REGISTRATION_NOT_APPLICABLE',
  THROTTLED: 'THROTTLED',
  /** Registration: another account has this user id. */
  USER_ID_TAKEN: 'USER_ID_TAKEN',
  /** A single-use link's token is unknown, used already or expired (details.reason says which). */
  INVALID_TOKEN: 'INVALID_TOKEN',
  /** Email verification: another account verified this address first. */
  EMAIL_IN_USE: 'EMAIL_IN_USE',
  /** Sign-in with the right password, but the email address is not verified yet. */
  EMAIL_NOT_VERIFIED: 'EMAIL_NOT_VERIFIED',
  /** The help desk disabled the account: it cannot sign in. */
  ACCOUNT_DISABLED: 'ACCOUNT_DISABLED',
  /** Two-factor enrollment of an account that is enrolled already. */
  ALREADY_ENROLLED: 'ALREADY_ENROLLED',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  IDEMPOTENCY_KEY_IN_USE: 'IDEMPOTENCY_KEY_IN_USE',
  /** The request body is not valid JSON: an object or an array (issue 14). */
  MALFORMED_JSON: 'MALFORMED_JSON',
  /** The request body is larger than the gateway reads (REQUEST_BODY_LIMIT_KB). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The request body is not JSON (by its Content-Type), or in a charset or content encoding the gateway does not read. */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** The serializable form of a domain error, as carried over RPC and in the public error body. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  field?: string;
  details?: Record<string, unknown>;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  toBody(): ErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.field ? { field: this.field } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }

  static isErrorBody(value: unknown): value is ErrorBody {
    if (typeof value !== 'object' || value === null) return false;
    const v = value as Record<string, unknown>;
    return typeof v.code === 'string' && typeof v.message === 'string' && Object.values(ERROR_CODES).includes(v.code as ErrorCode);
  }

  static fromBody(body: ErrorBody): DomainError {
    return new DomainError(body.code, body.message, body.field, body.details);
  }
}
