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
  /** Undo of a denial after its undo window closed (details.undoUntil says when). */
  UNDO_WINDOW_CLOSED: 'UNDO_WINDOW_CLOSED',
  /** Undo of what cannot be undone: an approval (removal is the way back), or a request not denied. */
  NOT_UNDOABLE: 'NOT_UNDOABLE',
  /** Nominating a backup Security Official (issue 18): the nominee has a pending nomination at this organization already (details.nominationId). */
  ALREADY_NOMINATED: 'ALREADY_NOMINATED',
  /** Accepting a nomination whose nominator is no longer a Security Official of the organization (issue 18). */
  NOMINATION_LAPSED: 'NOMINATION_LAPSED',
  /** Access reviews (issue 18): a decision on a review that has closed (details.completedAt). */
  ACCESS_REVIEW_CLOSED: 'ACCESS_REVIEW_CLOSED',
  /** A campaign for one organization that has an access review open already (details.reviewId). */
  ACCESS_REVIEW_OPEN: 'ACCESS_REVIEW_OPEN',
  /** Webhooks (issue 20): a redelivery of a delivery still being attempted (details.nextAttemptAt). */
  DELIVERY_IN_PROGRESS: 'DELIVERY_IN_PROGRESS',
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

/** Who closed a request, what they did, when: the facts a refusal of a closed request states (rule 5). */
export interface ClosedRequest {
  status: 'PENDING' | 'APPROVED' | 'DENIED' | 'WITHDRAWN' | 'EXPIRED';
  closedBy: { id: string; displayName: string } | null;
  closedAt: string | null;
}

/** "This request was already approved by X at T" (or "expired undecided at T"): worded here only. */
export function alreadyClosedMessage(f: { status: string; closedBy: string | null; closedAt: string | null }): string {
  if (f.status === 'EXPIRED') return `This request expired undecided at ${f.closedAt}`;
  return `This request was already ${f.status.toLowerCase()} by ${f.closedBy ?? 'someone'} at ${f.closedAt}`;
}

/** The refusals of the request rules, each worded once, whichever service or workflow says it. */
export const REFUSALS = {
  noSuchRequest: () => new DomainError(ERROR_CODES.NOT_FOUND, 'No role request has this id', 'id'),
  noSuchOrganization: (field = 'organizationId') => new DomainError(ERROR_CODES.NOT_FOUND, 'No organization has this id', field),
  /** A personal calendar feed URL whose token is malformed, unknown, replaced, or of a disabled account (issue 19): alike. */
  noSuchCalendarFeed: () => new DomainError(ERROR_CODES.NOT_FOUND, 'No calendar feed has this address (it may have been replaced by a new link)', 'token'),
  ownRequest: () => new DomainError(ERROR_CODES.FORBIDDEN, 'Nobody can decide their own request'),
  notTheRequester: () => new DomainError(ERROR_CODES.FORBIDDEN, 'Only the requester can withdraw a request'),
  /** 409 naming who closed the request, what they did and when; details carry the same facts for clients. */
  alreadyClosed: (f: ClosedRequest) =>
    new DomainError(ERROR_CODES.ALREADY_DECIDED, alreadyClosedMessage({ status: f.status, closedBy: f.closedBy?.displayName ?? null, closedAt: f.closedAt }), undefined, {
      status: f.status,
      decidedBy: f.closedBy?.displayName ?? null,
      decidedById: f.closedBy?.id ?? null,
      decidedAt: f.closedAt,
    }),
  /** 409: a denial is final once its undo window has closed (issue 17). */
  undoWindowClosed: (undoUntil: string) =>
    new DomainError(ERROR_CODES.UNDO_WINDOW_CLOSED, `The undo window of this denial closed at ${undoUntil}: the denial is final`, undefined, { undoUntil }),
  /** 409: only a denial inside its undo window can be undone. */
  notUndoable: (status: string) =>
    new DomainError(
      ERROR_CODES.NOT_UNDOABLE,
      status === 'APPROVED'
        ? 'Approvals cannot be undone: the role was granted at once. Remove the access instead'
        : status === 'PENDING'
          ? 'There is nothing to undo: this request is pending'
          : `Only a denial can be undone: this request is ${status.toLowerCase()}`,
      undefined,
      { status },
    ),
};
