// Documentation only: the OpenAPI shape of ManageAccessView (@am/contracts), with the demo's examples.
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import {
  ORG_ROLES,
  type ConnectedOrganizationView,
  type ManageAccessView,
  type MyRequestView,
  type OrganizationKind,
  type OrgRole,
  type Page,
  type PendingDecisionView,
} from '@am/contracts';
import { EXAMPLE_IDS, EXAMPLE_TIME, OrganizationSummaryResponse, PageFieldsResponse, PendingDecisionResponse } from '../common/shared.responses';
import { CoverageResponse, OrganizationResponse } from '../organizations/organizations.responses';

@ApiSchema({ name: 'PendingDecisionPage' })
export class PendingDecisionPageResponse extends PageFieldsResponse implements Page<PendingDecisionView> {
  @ApiProperty({ type: () => [PendingDecisionResponse] }) items!: PendingDecisionResponse[];
}

@ApiSchema({ name: 'MyRequestView', description: 'One of the caller’s own pending requests, naming who can approve it' })
export class MyRequestResponse implements MyRequestView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_IDS.request }) requestId!: string;
  @ApiProperty({ enum: ORG_ROLES, enumName: 'OrgRole', example: 'SECURITY_OFFICIAL' }) role!: OrgRole;
  @ApiProperty({ format: 'date-time', example: EXAMPLE_TIME }) createdAt!: string;
  @ApiProperty({
    type: () => OrganizationSummaryResponse,
    example: { id: EXAMPLE_IDS.greenville, kind: 'PRACTICE', identifier: '000793654', name: 'Greenville Medical Clinic' },
  })
  organization!: OrganizationSummaryResponse;
  @ApiProperty({ type: [String], description: 'The Security Officials, or "the Quality Payment Program" when there are none', example: ['Kelly Dunn', 'Liz Lordis'] })
  approvers!: string[];
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the approvers will next be reminded (issue 19: sooner in the program calendar’s high-volume periods); null when none will',
    example: '2027-01-05T14:15:09.123Z',
  })
  nextReminderAt!: string | null;
}

@ApiSchema({ name: 'ConnectedOrganizationView' })
export class ConnectedOrganizationResponse extends OrganizationResponse implements ConnectedOrganizationView {
  @ApiProperty({ enum: ORG_ROLES, enumName: 'OrgRole', description: 'The caller’s role here', example: 'SECURITY_OFFICIAL' }) myRole!: OrgRole;
  @ApiProperty({ type: () => CoverageResponse, description: 'Approver coverage: SINGLE means the organization hangs on one person (issue 18)' }) coverage!: CoverageResponse;
  @ApiProperty({ minimum: 0, example: 1 }) connectedUsers!: number;
  @ApiProperty({ minimum: 0, example: 1 }) pendingUsers!: number;
}

@ApiSchema({ name: 'ConnectedOrganizationsByKind', description: 'Every kind is present, with an empty list when the caller has no role at one of that kind' })
export class ConnectedOrganizationsByKindResponse implements Record<OrganizationKind, ConnectedOrganizationView[]> {
  @ApiProperty({ type: () => [ConnectedOrganizationResponse] }) PRACTICE!: ConnectedOrganizationResponse[];
  @ApiProperty({ type: () => [ConnectedOrganizationResponse], example: [] }) VIRTUAL_GROUP!: ConnectedOrganizationResponse[];
  @ApiProperty({ type: () => [ConnectedOrganizationResponse], example: [] }) APM_ENTITY!: ConnectedOrganizationResponse[];
  @ApiProperty({ type: () => [ConnectedOrganizationResponse], example: [] }) REGISTRY!: ConnectedOrganizationResponse[];
}

@ApiSchema({ name: 'ManageAccessView' })
export class ManageAccessResponse implements ManageAccessView {
  @ApiProperty({ type: () => PendingDecisionPageResponse, description: 'Requests awaiting the caller’s decision across all their organizations, oldest first' })
  pendingRequests!: PendingDecisionPageResponse;
  @ApiProperty({ type: () => [MyRequestResponse] }) myRequests!: MyRequestResponse[];
  @ApiProperty({ type: () => ConnectedOrganizationsByKindResponse }) connectedOrganizations!: ConnectedOrganizationsByKindResponse;
}
