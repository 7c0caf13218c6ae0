// Documentation only: the OpenAPI shape of RoleRequestView (@am/contracts), with the demo's examples.
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { DENY_REASON_CODES, ORG_ROLES, REQUEST_STATUSES, type DenyReasonCode, type OrgRole, type RequestStatus, type ResubmitSuggestion, type RoleRequestView } from '@am/contracts';
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
  @ApiProperty({ format: 'date-time', example: EXAMPLE_TIME }) createdAt!: string;
}
