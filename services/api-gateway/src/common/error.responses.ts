// Documentation only: the body of every error the gateway answers (http-error.filter.ts).
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from '@am/contracts';

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

/** A typical error of each status, for the examples of the document. */
export const ERROR_EXAMPLES: Record<number, ErrorBody> = {
  400: { code: ERROR_CODES.VALIDATION_FAILED, message: 'organizationId must be a UUID', field: 'organizationId' },
  401: { code: ERROR_CODES.UNAUTHENTICATED, message: 'Sign in first: send Authorization: Bearer <accessToken> (or the session cookie of the web UI)' },
  403: { code: ERROR_CODES.FORBIDDEN, message: 'Only a Security Official of Acme Clinic, LLC can decide this request' },
  404: { code: ERROR_CODES.NOT_FOUND, message: 'No organization has this id', field: 'orgId' },
  409: {
    code: ERROR_CODES.ALREADY_DECIDED,
    message: 'This request was already approved by Elizabeth Blackwell at 2026-03-02T14:05:09.123Z',
    details: { status: 'APPROVED', decidedBy: 'Elizabeth Blackwell', decidedById: '2d9c6b5a-7e3f-4a0c-9b4d-8f5e3c4a6d72', decidedAt: '2026-03-02T14:05:09.123Z' },
  },
  422: {
    code: ERROR_CODES.MANAGED_IN_ACO_MS,
    message: 'Lakeside Shared Savings ACO is a Shared Savings Program ACO: its roles are managed in the ACO Management System (ACO-MS), not here',
  },
  429: { code: ERROR_CODES.THROTTLED, message: 'This API key made more than 60 calls in a minute; retry after 12 s' },
  503: { code: ERROR_CODES.SERVICE_UNAVAILABLE, message: 'The directory service did not answer' },
};
