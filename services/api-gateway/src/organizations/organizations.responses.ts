// Documentation only: the OpenAPI shapes of OrganizationView, Page<OrganizationView>,
// OrganizationUsersView and RemovalRecord (@am/contracts), with the demo's examples.
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import {
  COVERAGE_STATES,
  ORG_ROLES,
  type CoverageEntryView,
  type CoverageState,
  type CoverageView,
  type ConnectedUserView,
  type OrganizationDetailView,
  type OrganizationUsersView,
  type OrganizationView,
  type OrgRole,
  type Page,
  type RegistrationView,
  type RemovalRecord,
} from '@am/contracts';
import {
  EXAMPLE_IDS,
  EXAMPLE_TIME,
  OrganizationSummaryResponse,
  PageFieldsResponse,
  PendingDecisionResponse,
  PersonRefResponse,
  PersonWithEmailResponse,
} from '../common/shared.responses';

@ApiSchema({ name: 'RegistrationWindow' })
export class RegistrationWindowResponse {
  @ApiProperty({ format: 'date', description: 'UTC, inclusive', example: '2026-04-01' }) opens!: string;
  @ApiProperty({ format: 'date', description: 'UTC, inclusive', example: '2026-06-30' }) closes!: string;
}

@ApiSchema({ name: 'RegistrationView', description: 'A practice’s CMS Web Interface / CAHPS for MIPS survey registration' })
export class RegistrationResponse implements RegistrationView {
  @ApiProperty({ example: true }) cmsWebInterface!: boolean;
  @ApiProperty({ example: false }) cahpsSurvey!: boolean;
  @ApiProperty({ description: 'Whether the caller may change it now: a Security Official of the practice, inside the window', example: true }) editable!: boolean;
  @ApiProperty({ type: () => RegistrationWindowResponse, description: 'This year’s window (the current one when open, else the next)' }) window!: RegistrationWindowResponse;
}

@ApiSchema({ name: 'OrganizationView' })
export class OrganizationResponse extends OrganizationSummaryResponse implements OrganizationView {
  @ApiProperty({ example: '5200 Manchester Ln., Greenville, OH 01234' }) address!: string;
  @ApiProperty({ description: 'A Shared Savings Program ACO: its roles are managed in ACO-MS', example: false }) sharedSavingsAco!: boolean;
  @ApiProperty({ type: () => RegistrationResponse, nullable: true, description: 'Practices only; null for other kinds' }) registration!: RegistrationResponse | null;
}

@ApiSchema({ name: 'Coverage', description: 'Approver coverage (issue 18): does the organization hang on one person?' })
export class CoverageResponse implements CoverageView {
  @ApiProperty({
    enum: COVERAGE_STATES,
    enumName: 'CoverageState',
    description: 'NONE: no Security Official (the help desk decides); SINGLE: at most one active; COVERED: two or more active (signed in within SECURITY_OFFICIAL_ACTIVE_DAYS)',
    example: 'SINGLE',
  })
  state!: CoverageState;
  @ApiProperty({ minimum: 0, example: 1 }) securityOfficials!: number;
  @ApiProperty({ minimum: 0, example: 1 }) activeSecurityOfficials!: number;
}

@ApiSchema({ name: 'OrganizationDetailView' })
export class OrganizationDetailResponse extends OrganizationResponse implements OrganizationDetailView {
  @ApiProperty({ type: () => CoverageResponse }) coverage!: CoverageResponse;
}

@ApiSchema({ name: 'CoverageEntry' })
export class CoverageEntryResponse implements CoverageEntryView {
  @ApiProperty({ type: () => OrganizationSummaryResponse }) organization!: OrganizationSummaryResponse;
  @ApiProperty({ type: () => CoverageResponse }) coverage!: CoverageResponse;
  @ApiProperty({ minimum: 0, description: 'Requests waiting for a decision there', example: 2 }) pendingRequests!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the oldest of them was submitted', example: EXAMPLE_TIME }) oldestPendingAt!: string | null;
  @ApiProperty({ type: Number, nullable: true, minimum: 0, description: 'Its age in seconds', example: 86_400 }) oldestPendingAgeSeconds!: number | null;
}

@ApiSchema({ name: 'CoveragePage' })
export class CoveragePageResponse extends PageFieldsResponse implements Page<CoverageEntryView> {
  @ApiProperty({ type: () => [CoverageEntryResponse] }) items!: CoverageEntryResponse[];
}

@ApiSchema({ name: 'OrganizationPage' })
export class OrganizationPageResponse extends PageFieldsResponse implements Page<OrganizationView> {
  @ApiProperty({ type: () => [OrganizationResponse] }) items!: OrganizationResponse[];
}

@ApiSchema({ name: 'ConnectedUserView' })
export class ConnectedUserResponse implements ConnectedUserView {
  @ApiProperty({ type: () => PersonWithEmailResponse }) user!: PersonWithEmailResponse;
  @ApiProperty({ enum: ORG_ROLES, enumName: 'OrgRole', example: 'SECURITY_OFFICIAL' }) role!: OrgRole;
  @ApiProperty({ format: 'date-time', example: EXAMPLE_TIME }) grantedAt!: string;
}

@ApiSchema({ name: 'ConnectedUserPage' })
export class ConnectedUserPageResponse extends PageFieldsResponse implements Page<ConnectedUserView> {
  @ApiProperty({ type: () => [ConnectedUserResponse] }) items!: ConnectedUserResponse[];
}

@ApiSchema({ name: 'OrganizationUsersView' })
export class OrganizationUsersResponse implements OrganizationUsersView {
  @ApiProperty({ type: () => OrganizationDetailResponse }) organization!: OrganizationDetailResponse;
  @ApiProperty({ type: () => [PendingDecisionResponse], description: 'Requests for a role here awaiting a decision' }) pendingRequests!: PendingDecisionResponse[];
  @ApiProperty({ type: () => ConnectedUserPageResponse, description: 'Who holds a role here, paginated by page/pageSize' }) connectedUsers!: ConnectedUserPageResponse;
}

@ApiSchema({ name: 'OrganizationRef' })
export class OrganizationRefResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_IDS.greenville }) id!: string;
  @ApiProperty({ example: 'Greenville Medical Clinic' }) name!: string;
}

@ApiSchema({ name: 'RemovalRecord' })
export class RemovalRecordResponse implements RemovalRecord {
  @ApiProperty({ format: 'uuid', description: 'Identifies the removal: operators find its workflow as access-removal-<removalId>', example: '8d5c2b1a-3e9f-4a6c-9b0d-4f1e9c0a2d38' })
  removalId!: string;
  @ApiProperty({ type: () => OrganizationRefResponse }) organization!: OrganizationRefResponse;
  @ApiProperty({ type: () => PersonWithEmailResponse, example: { id: EXAMPLE_IDS.laura, displayName: 'Laura Fortran', email: 'laura.fortran@example.com' } })
  user!: PersonWithEmailResponse;
  @ApiProperty({ enum: ORG_ROLES, enumName: 'OrgRole', description: 'The role removed', example: 'STAFF_USER' }) role!: OrgRole;
  @ApiProperty({ type: () => PersonRefResponse, example: { id: EXAMPLE_IDS.kelly, displayName: 'Kelly Dunn' } }) removedBy!: PersonRefResponse;
  @ApiProperty({ type: String, nullable: true, description: 'Given when the help desk removes the only Security Official', example: null }) reason!: string | null;
  @ApiProperty({ format: 'date-time', example: EXAMPLE_TIME }) removedAt!: string;
}
