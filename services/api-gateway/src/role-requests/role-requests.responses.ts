// Documentation only: the OpenAPI shape of RoleRequestView (@am/contracts), with the demo's examples.
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { DENY_REASON_CODES, ORG_ROLES, REQUEST_STATUSES, type DenyReasonCode, type OrgRole, type RequestStatus, type ResubmitSuggestion, type RoleRequestView } from '@am/contracts';
import { ErrorBodyResponse } from '../common/error.responses';
import { EXAMPLE_IDS, EXAMPLE_TIME, OrganizationSummaryResponse, PersonRefResponse } from '../common/shared.responses';

@ApiSchema({ name: 'ResubmitSuggestion' })
export class ResubmitResponse implements ResubmitSuggestion {
  @ApiProperty({ format: 'uuid', required: false, description: 'Prefill: the organization to request at (absent when the organization was wrong, or the requester is not affiliated)' }) organizationId?: string;
  @ApiProperty({ enum: ORG_ROLES, enumName: 'OrgRole', required: false, description: 'Prefill: the role to request' }) role?: OrgRole;
  @ApiProperty({ example: 'Request the Security Official role at Acme Clinic, LLC instead.' }) hint!: string;
}

@ApiSchema({ name: 'RoleRequestView' })
export class RoleRequestResponse implements RoleRequestView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_IDS.request }) id!: string;
  @ApiProperty({ description: 'The Temporal workflow that carries the request to its decision', example: `role-request-${EXAMPLE_IDS.request}` }) workflowId!: string;
  @ApiProperty({ enum: REQUEST_STATUSES, enumName: 'RequestStatus', example: 'PENDING' }) status!: RequestStatus;
  @ApiProperty({ enum: ORG_ROLES, enumName: 'OrgRole', example: 'STAFF_USER' }) role!: OrgRole;
  @ApiProperty({ type: String, nullable: true, example: 'I submit quality data for Acme Clinic.' }) justification!: string | null;
  @ApiProperty({ type: () => OrganizationSummaryResponse }) organization!: OrganizationSummaryResponse;
  @ApiProperty({ type: () => PersonRefResponse, example: { id: EXAMPLE_IDS.thomas, displayName: 'Thomas Miller, MD' } }) requester!: PersonRefResponse;
  @ApiProperty({
    type: [String],
    description: 'Who can decide: the organization’s Security Officials, or "the Quality Payment Program" (the help desk) when it has none',
    example: ['Elizabeth Blackwell'],
  })
  approvers!: string[];
  @ApiProperty({ type: () => PersonRefResponse, nullable: true, description: 'null until approved or denied', example: null }) decidedBy!: PersonRefResponse | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was decided, withdrawn or expired', example: null }) decidedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The reason given with a denial', example: null }) reason!: string | null;
  @ApiProperty({ enum: DENY_REASON_CODES, enumName: 'DenyReasonCode', nullable: true, description: 'Denials: why (issue 17); null otherwise', example: null })
  reasonCode!: DenyReasonCode | null;
  @ApiProperty({ type: () => ResubmitResponse, nullable: true, description: 'Denials: what the requester may do next; null otherwise', example: null })
  resubmit!: ResubmitResponse | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'Denials (issue 17): until when any approver may undo it (POST .../undo); in the past once the denial is final, when the requester has been told. null otherwise, and for the requester (who sees the request pending until then)',
    example: null,
  })
  undoUntil!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'Pending requests (issue 19): when the approvers will next be reminded, at the program calendar’s pace (sooner in high-volume periods: GET /program-calendar). null once none will (the request expires first, or it is closed)',
    example: '2027-01-05T14:15:09.123Z',
  })
  nextReminderAt!: string | null;
  @ApiProperty({ format: 'date-time', example: EXAMPLE_TIME }) createdAt!: string;
}

@ApiSchema({ name: 'DecisionResult', description: 'One request of a bulk decision: decided as if alone, or refused alone' })
export class DecisionResultResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_IDS.request }) requestId!: string;
  @ApiProperty({ description: 'The HTTP status this request would have been answered alone: 200, or its own 4xx', example: 200 }) status!: number;
  @ApiPropertyOptional({ type: () => RoleRequestResponse, description: 'The decided request (status 200)' }) request?: RoleRequestResponse;
  @ApiPropertyOptional({ type: () => ErrorBodyResponse, description: 'Why this request was not decided (status 4xx or 5xx)' }) error?: ErrorBodyResponse;
}

@ApiSchema({ name: 'DecisionResults' })
export class DecisionResultsResponse {
  @ApiProperty({ type: () => [DecisionResultResponse], description: 'One per requested id, in the order given' }) results!: DecisionResultResponse[];
}
