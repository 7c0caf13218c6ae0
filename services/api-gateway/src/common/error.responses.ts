// Documentation only: the body of every error the gateway answers (http-error.filter.ts).
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from '@am/contracts';
import { EXAMPLE_IDS } from './shared.responses';

@ApiSchema({ name: 'ErrorBody' })
export class ErrorBodyResponse implements ErrorBody {
  @ApiProperty({ enum: Object.values(ERROR_CODES), enumName: 'ErrorCode', description: 'Stable: program against it, not against the message', example: 'VALIDATION_FAILED' })
  code!: ErrorCode;

  @ApiProperty({ description: 'For people: what went wrong and what to do', example: 'organizationId must be a UUID' })
  message!: string;

  @ApiPropertyOptional({ description: 'The request field (body or query property, or header) at fault', example: 'organizationId' })
  field?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Facts about the error, e.g. who decided and when (ALREADY_DECIDED), or lockedUntil (THROTTLED)' })
  details?: Record<string, unknown>;
}

@ApiSchema({ name: 'ErrorResponse', description: 'Every 4xx and 5xx answer: {"error":{"code","message","field"?,"details"?}}' })
export class ErrorResponse {
  @ApiProperty({ type: () => ErrorBodyResponse }) error!: ErrorBodyResponse;
}

/** An example of each error code, in the words the services use (demo data of PRODUCT.md section 6). */
export const ERROR_EXAMPLES: Record<ErrorCode, ErrorBody> = {
  VALIDATION_FAILED: { code: ERROR_CODES.VALIDATION_FAILED, message: 'organizationId must be a UUID', field: 'organizationId' },
  UNAUTHENTICATED: { code: ERROR_CODES.UNAUTHENTICATED, message: 'Sign in first: send Authorization: Bearer <accessToken> (or the session cookie of the web UI)' },
  FORBIDDEN: { code: ERROR_CODES.FORBIDDEN, message: 'Only a Security Official of Acme Clinic, LLC can decide this request' },
  NOT_FOUND: { code: ERROR_CODES.NOT_FOUND, message: 'No organization has this id' },
  ALREADY_DECIDED: {
    code: ERROR_CODES.ALREADY_DECIDED,
    message: 'This request was already approved by Elizabeth Blackwell at 2026-03-02T14:05:09.123Z',
    details: { status: 'APPROVED', decidedBy: 'Elizabeth Blackwell', decidedById: EXAMPLE_IDS.elizabeth, decidedAt: '2026-03-02T14:05:09.123Z' },
  },
  DUPLICATE_PENDING_REQUEST: {
    code: ERROR_CODES.DUPLICATE_PENDING_REQUEST,
    message: 'You already have a pending request at Greenville Medical Clinic',
    field: 'organizationId',
    details: { pendingRequestId: EXAMPLE_IDS.request, pendingRole: 'SECURITY_OFFICIAL' },
  },
  ROLE_ALREADY_HELD: { code: ERROR_CODES.ROLE_ALREADY_HELD, message: 'You already hold the Security Official role at Acme Clinic, LLC', field: 'role' },
  MANAGED_IN_ACO_MS: {
    code: ERROR_CODES.MANAGED_IN_ACO_MS,
    message: 'Lakeside Shared Savings ACO is a Shared Savings Program ACO: its roles are managed in the ACO Management System (ACO-MS), not here',
  },
  REGISTRATION_CLOSED: {
    code: ERROR_CODES.REGISTRATION_CLOSED,
    message: 'Registration can be edited only during the registration period (next: 2026-04-01 to 2026-06-30)',
    details: { opens: '2026-04-01', closes: '2026-06-30' },
  },
  REGISTRATION_NOT_APPLICABLE: {
    code: ERROR_CODES.REGISTRATION_NOT_APPLICABLE,
    message: 'Only practices register for the CMS Web Interface and the CAHPS for MIPS survey',
    field: 'organizationId',
  },
  THROTTLED: { code: ERROR_CODES.THROTTLED, message: 'This API key made more than 60 calls in a minute; retry after 12 s' },
  USER_ID_TAKEN: { code: ERROR_CODES.USER_ID_TAKEN, message: 'The user id jane.doe is taken: choose another', field: 'userId' },
  INVALID_TOKEN: {
    code: ERROR_CODES.INVALID_TOKEN,
    message: 'This link has expired: ask for a new one with "Forgot password"',
    field: 'token',
    details: { reason: 'expired' },
  },
  EMAIL_IN_USE: {
    code: ERROR_CODES.EMAIL_IN_USE,
    message: 'This email address already belongs to another account: sign in with that account, or use "Forgot user ID" to be reminded of its user id',
    field: 'token',
  },
  EMAIL_NOT_VERIFIED: {
    code: ERROR_CODES.EMAIL_NOT_VERIFIED,
    message: 'Verify your email address first: open the link we emailed you (for a new link, register again with the same user id, email address and password)',
  },
  ACCOUNT_DISABLED: { code: ERROR_CODES.ACCOUNT_DISABLED, message: 'This account is disabled: contact the help desk (the Quality Payment Program) to have it enabled' },
  ALREADY_ENROLLED: { code: ERROR_CODES.ALREADY_ENROLLED, message: 'Two-factor authentication is set up already: sign in with a code from your authenticator app' },
  IDEMPOTENCY_KEY_REUSED: {
    code: ERROR_CODES.IDEMPOTENCY_KEY_REUSED,
    message: 'This Idempotency-Key was already used with a different request: use a new key for a new request',
    field: 'Idempotency-Key',
  },
  IDEMPOTENCY_KEY_IN_USE: {
    code: ERROR_CODES.IDEMPOTENCY_KEY_IN_USE,
    message: 'A request with this Idempotency-Key is still being processed: retry shortly',
    field: 'Idempotency-Key',
  },
  MALFORMED_JSON: { code: ERROR_CODES.MALFORMED_JSON, message: 'The body is not valid JSON: send a JSON object (or array) as UTF-8', field: 'body' },
  PAYLOAD_TOO_LARGE: { code: ERROR_CODES.PAYLOAD_TOO_LARGE, message: 'The body is larger than the limit of 100 kB', field: 'body' },
  UNSUPPORTED_MEDIA_TYPE: { code: ERROR_CODES.UNSUPPORTED_MEDIA_TYPE, message: 'The API reads JSON bodies only: send Content-Type: application/json', field: 'content-type' },
  UNDO_WINDOW_CLOSED: {
    code: ERROR_CODES.UNDO_WINDOW_CLOSED,
    message: 'The undo window of this denial closed at 2026-03-02T14:15:09.123Z: the denial is final',
    details: { undoUntil: '2026-03-02T14:15:09.123Z' },
  },
  NOT_UNDOABLE: {
    code: ERROR_CODES.NOT_UNDOABLE,
    message: 'Approvals cannot be undone: the role was granted at once. Remove the access instead',
    details: { status: 'APPROVED' },
  },
  ALREADY_NOMINATED: {
    code: ERROR_CODES.ALREADY_NOMINATED,
    message: 'Laura Fortran has a pending nomination at Greenville Medical Clinic already',
    field: 'userId',
    details: { nominationId: EXAMPLE_IDS.request },
  },
  NOMINATION_LAPSED: {
    code: ERROR_CODES.NOMINATION_LAPSED,
    message: 'Kelly Dunn, who nominated you, is no longer a Security Official of Greenville Medical Clinic: this nomination can no longer be accepted',
  },
  ACCESS_REVIEW_CLOSED: {
    code: ERROR_CODES.ACCESS_REVIEW_CLOSED,
    message: 'This access review closed at 2026-12-31T05:00:00.000Z: its decisions are final',
    details: { completedAt: '2026-12-31T05:00:00.000Z' },
  },
  ACCESS_REVIEW_OPEN: {
    code: ERROR_CODES.ACCESS_REVIEW_OPEN,
    message: 'Greenville Medical Clinic has an access review open already',
    field: 'organizationId',
    details: { reviewId: EXAMPLE_IDS.request },
  },
  DELIVERY_IN_PROGRESS: {
    code: ERROR_CODES.DELIVERY_IN_PROGRESS,
    message: 'This delivery is still being attempted: its next attempt is at 2026-12-02T10:15:00.000Z',
    details: { nextAttemptAt: '2026-12-02T10:15:00.000Z' },
  },
  SERVICE_UNAVAILABLE: { code: ERROR_CODES.SERVICE_UNAVAILABLE, message: 'The directory service did not answer' },
  INTERNAL: { code: ERROR_CODES.INTERNAL, message: 'Internal error' },
};

const LOCKED: ErrorBody = {
  code: ERROR_CODES.THROTTLED,
  message: 'Too many failed sign-ins: this account is locked until 2026-03-02T14:20:09.123Z',
  details: { lockedUntil: '2026-03-02T14:20:09.123Z' },
};

/** The examples of the paths whose errors say other things than elsewhere: sign-in. */
export const PATH_ERROR_EXAMPLES: Record<string, Partial<Record<ErrorCode, ErrorBody>>> = {
  '/api/v1/auth/sign-in': {
    VALIDATION_FAILED: {
      code: ERROR_CODES.VALIDATION_FAILED,
      message: 'acceptStatementOfTruth must be true: you must agree to the Statement of Truth to sign in',
      field: 'acceptStatementOfTruth',
    },
    UNAUTHENTICATED: { code: ERROR_CODES.UNAUTHENTICATED, message: 'The user id or password is not correct' },
    THROTTLED: LOCKED,
  },
  '/api/v1/auth/mfa': {
    VALIDATION_FAILED: { code: ERROR_CODES.VALIDATION_FAILED, message: 'code must be 6 digits', field: 'code' },
    UNAUTHENTICATED: { code: ERROR_CODES.UNAUTHENTICATED, message: 'The security code is not valid', field: 'code' },
    THROTTLED: LOCKED,
  },
  '/api/v1/auth/mfa/enroll': {
    VALIDATION_FAILED: { code: ERROR_CODES.VALIDATION_FAILED, message: 'enrollmentToken must be the token returned by sign-in', field: 'enrollmentToken' },
    UNAUTHENTICATED: { code: ERROR_CODES.UNAUTHENTICATED, message: 'enrollmentToken is invalid or expired', field: 'enrollmentToken' },
  },
  '/api/v1/auth/mfa/enroll/confirm': {
    VALIDATION_FAILED: { code: ERROR_CODES.VALIDATION_FAILED, message: 'code must be 6 digits', field: 'code' },
    UNAUTHENTICATED: {
      code: ERROR_CODES.UNAUTHENTICATED,
      message: 'The security code is not valid: enter the code the authenticator app shows now (check its clock)',
      field: 'code',
    },
  },
  '/api/v1/accounts': {
    VALIDATION_FAILED: { code: ERROR_CODES.VALIDATION_FAILED, message: 'password must not contain your user id', field: 'password', details: { rule: 'contains-user-id' } },
    THROTTLED: { code: ERROR_CODES.THROTTLED, message: 'Too many requests from this address: retry after 840 s', details: { retryAfterSeconds: 840 } },
  },
  '/api/v1/accounts/reset-password': {
    VALIDATION_FAILED: { code: ERROR_CODES.VALIDATION_FAILED, message: 'password must be at least 12 characters', field: 'password', details: { rule: 'min-length' } },
  },
  '/api/v1/accounts/forgot-password': {
    THROTTLED: { code: ERROR_CODES.THROTTLED, message: 'Too many requests for this user id: retry after 840 s', details: { retryAfterSeconds: 840 } },
  },
  '/api/v1/accounts/forgot-user-id': {
    VALIDATION_FAILED: { code: ERROR_CODES.VALIDATION_FAILED, message: 'email must be an email address', field: 'email' },
    THROTTLED: { code: ERROR_CODES.THROTTLED, message: 'Too many requests for this email address: retry after 840 s', details: { retryAfterSeconds: 840 } },
  },
  '/api/v1/users/{userId}/disable': {
    VALIDATION_FAILED: { code: ERROR_CODES.VALIDATION_FAILED, message: 'reason must be 3 to 500 characters: say why (it is audited)', field: 'reason' },
    FORBIDDEN: { code: ERROR_CODES.FORBIDDEN, message: 'You cannot do this to your own account: ask another member of the help desk', field: 'userId' },
  },
  '/api/v1/auth/sign-out': {
    FORBIDDEN: { code: ERROR_CODES.FORBIDDEN, message: 'API keys have no session to end: the help desk revokes keys' },
  },
};
