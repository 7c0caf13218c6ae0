// Documentation only: the OpenAPI shapes of the access review views (@am/contracts), with the demo's examples.
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import {
  ACCESS_REVIEW_DECISIONS,
  ACCESS_REVIEW_REMOVAL_STATUSES,
  ACCESS_REVIEW_STATUSES,
  ACCESS_REVIEW_UNREVIEWED_POLICIES,
  ORG_ROLES,
  type AccessReviewCampaignView,
  type AccessReviewCounts,
  type AccessReviewDecision,
  type AccessReviewDecisionResult,
  type AccessReviewItemView,
  type AccessReviewRemovalStatus,
  type AccessReviewStatus,
  type AccessReviewSummaryView,
  type AccessReviewUnreviewedPolicy,
  type AccessReviewView,
  type OrgRole,
  type Page,
} from '@am/contracts';
import { ErrorBodyResponse } from '../common/error.responses';
import { EXAMPLE_IDS, EXAMPLE_TIME, OrganizationSummaryResponse, PageFieldsResponse, PersonRefResponse, PersonWithEmailResponse } from '../common/shared.responses';

const DUE = '2026-12-31T05:00:00.000Z';

@ApiSchema({ name: 'AccessReviewCounts' })
export class AccessReviewCountsResponse implements AccessReviewCounts {
  @ApiProperty({ minimum: 0, description: 'Users under review', example: 3 }) total!: number;
  @ApiProperty({ minimum: 0, example: 1 }) kept!: number;
  @ApiProperty({ minimum: 0, description: 'REMOVE decisions whose removal ran (or whose user was gone already)', example: 1 }) removed!: number;
  @ApiProperty({ minimum: 0, description: 'REMOVE decisions whose removal workflow still runs', example: 0 }) removing!: number;
  @ApiProperty({ minimum: 0, description: 'REMOVE decisions the removal rules refused: the access stays', example: 0 }) refused!: number;
  @ApiProperty({ minimum: 0, example: 1 }) undecided!: number;
}

@ApiSchema({ name: 'AccessReviewRemoval' })
export class AccessReviewRemovalResponse {
  @ApiProperty({ format: 'uuid', description: 'The removal workflow is access-removal-<id>', example: EXAMPLE_IDS.request }) id!: string;
  @ApiProperty({ enum: ACCESS_REVIEW_REMOVAL_STATUSES, enumName: 'AccessReviewRemovalStatus', example: 'REMOVED' }) status!: AccessReviewRemovalStatus;
  @ApiProperty({ type: String, nullable: true, description: 'The removal rule that refused it', example: null }) refusal!: string | null;
}

@ApiSchema({ name: 'AccessReviewItemView' })
export class AccessReviewItemResponse implements AccessReviewItemView {
  @ApiProperty({ type: () => PersonWithEmailResponse, example: { id: EXAMPLE_IDS.laura, displayName: 'Laura Fortran', email: 'laura.fortran@example.com' } }) user!: PersonWithEmailResponse;
  @ApiProperty({ enum: ORG_ROLES, enumName: 'OrgRole', description: 'The role held when the review opened', example: 'STAFF_USER' }) role!: OrgRole;
  @ApiProperty({ enum: ACCESS_REVIEW_DECISIONS, enumName: 'AccessReviewDecision', nullable: true, example: 'KEEP' }) decision!: AccessReviewDecision | null;
  @ApiProperty({ type: () => PersonRefResponse, nullable: true, example: { id: EXAMPLE_IDS.kelly, displayName: 'Kelly Dunn' } }) decidedBy!: PersonRefResponse | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: EXAMPLE_TIME }) decidedAt!: string | null;
  @ApiProperty({ description: 'Decided at the due date by the unreviewed policy, not by a person', example: false }) decidedByPolicy!: boolean;
  @ApiProperty({ type: () => AccessReviewRemovalResponse, nullable: true, example: null }) removal!: AccessReviewRemovalResponse | null;
}

@ApiSchema({ name: 'AccessReviewSummaryView' })
export class AccessReviewSummaryResponse implements AccessReviewSummaryView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_IDS.request }) id!: string;
  @ApiProperty({ description: 'The Temporal workflow that carries the review to its due date', example: `access-review-${EXAMPLE_IDS.request}` }) workflowId!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_IDS.auditEvent }) campaignId!: string;
  @ApiProperty({ type: () => OrganizationSummaryResponse }) organization!: OrganizationSummaryResponse;
  @ApiProperty({ enum: ACCESS_REVIEW_STATUSES, enumName: 'AccessReviewStatus', example: 'OPEN' }) status!: AccessReviewStatus;
  @ApiProperty({ format: 'date-time', example: EXAMPLE_TIME }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: DUE }) dueAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null }) completedAt!: string | null;
  @ApiProperty({ type: () => AccessReviewCountsResponse }) counts!: AccessReviewCountsResponse;
}

@ApiSchema({ name: 'AccessReviewView' })
export class AccessReviewResponse extends AccessReviewSummaryResponse implements AccessReviewView {
  @ApiProperty({ enum: ACCESS_REVIEW_UNREVIEWED_POLICIES, enumName: 'AccessReviewUnreviewedPolicy', description: 'What the due date does to users nobody reviewed (ACCESS_REVIEW_UNREVIEWED)', example: 'keep' })
  unreviewedPolicy!: AccessReviewUnreviewedPolicy;
  @ApiProperty({ type: () => [AccessReviewItemResponse], description: 'Security Officials first, then by name' }) items!: AccessReviewItemResponse[];
}

@ApiSchema({ name: 'AccessReviewLookupReview' })
export class AccessReviewLookupReviewResponse extends AccessReviewResponse {
  @ApiProperty({ enum: ['review'], example: 'review' }) kind!: 'review';
}

@ApiSchema({ name: 'AccessReviewCampaignTotals' })
export class CampaignReviewsTotalsResponse {
  @ApiProperty({ minimum: 0, example: 3 }) total!: number;
  @ApiProperty({ minimum: 0, example: 1 }) completed!: number;
}

@ApiSchema({ name: 'AccessReviewCampaignItemTotals' })
export class CampaignItemsTotalsResponse {
  @ApiProperty({ minimum: 0, example: 9 }) total!: number;
  @ApiProperty({ minimum: 0, example: 4 }) decided!: number;
}

@ApiSchema({ name: 'AccessReviewCampaignView' })
export class AccessReviewCampaignResponse implements AccessReviewCampaignView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_IDS.auditEvent }) id!: string;
  @ApiProperty({ example: `access-review-campaign-${EXAMPLE_IDS.auditEvent}` }) workflowId!: string;
  @ApiProperty({ type: () => OrganizationSummaryResponse, nullable: true, description: 'The one organization reviewed; null for every organization', example: null })
  organization!: OrganizationSummaryResponse | null;
  @ApiProperty({ type: () => PersonRefResponse, nullable: true, description: 'The help desk user who started it; null when the yearly schedule did', example: { id: EXAMPLE_IDS.helpDesk, displayName: 'QPP Service Center' } })
  startedBy!: PersonRefResponse | null;
  @ApiProperty({ format: 'date-time', example: EXAMPLE_TIME }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: DUE }) dueAt!: string;
  @ApiProperty({ enum: ACCESS_REVIEW_STATUSES, enumName: 'AccessReviewStatus', description: 'COMPLETED when every review in it is', example: 'OPEN' }) status!: AccessReviewStatus;
  @ApiProperty({ type: () => CampaignReviewsTotalsResponse }) reviews!: CampaignReviewsTotalsResponse;
  @ApiProperty({ type: () => CampaignItemsTotalsResponse }) items!: CampaignItemsTotalsResponse;
}

@ApiSchema({ name: 'AccessReviewSummaryPage' })
export class AccessReviewSummaryPageResponse extends PageFieldsResponse implements Page<AccessReviewSummaryView> {
  @ApiProperty({ type: () => [AccessReviewSummaryResponse] }) items!: AccessReviewSummaryResponse[];
}

@ApiSchema({ name: 'AccessReviewLookupCampaign' })
export class AccessReviewLookupCampaignResponse extends AccessReviewCampaignResponse {
  @ApiProperty({ enum: ['campaign'], example: 'campaign' }) kind!: 'campaign';
  @ApiProperty({ type: () => AccessReviewSummaryPageResponse, description: 'Its organizations’ reviews, the least complete first' }) organizations!: AccessReviewSummaryPageResponse;
}

@ApiSchema({ name: 'AccessReviewCampaignPage' })
export class AccessReviewCampaignPageResponse extends PageFieldsResponse implements Page<AccessReviewCampaignView> {
  @ApiProperty({ type: () => [AccessReviewCampaignResponse], description: 'Newest first' }) items!: AccessReviewCampaignResponse[];
}

@ApiSchema({ name: 'AccessReviewList' })
export class AccessReviewListResponse {
  @ApiProperty({ type: () => [AccessReviewSummaryResponse], description: 'The soonest due first' }) items!: AccessReviewSummaryResponse[];
}

@ApiSchema({ name: 'AccessReviewDecisionResult' })
export class AccessReviewDecisionResultResponse implements AccessReviewDecisionResult {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_IDS.laura }) userId!: string;
  @ApiProperty({ enum: ['RECORDED', 'REFUSED'], example: 'RECORDED' }) status!: 'RECORDED' | 'REFUSED';
  @ApiProperty({ type: () => AccessReviewItemResponse, required: false, description: 'The item as recorded' }) item?: AccessReviewItemResponse;
  @ApiProperty({ type: () => ErrorBodyResponse, required: false, description: 'Why this decision was refused (as if alone)' }) error?: ErrorBodyResponse;
}

@ApiSchema({ name: 'AccessReviewDecisionsView' })
export class AccessReviewDecisionsResponse {
  @ApiProperty({ type: () => [AccessReviewDecisionResultResponse], description: 'One per item, in order' }) results!: AccessReviewDecisionResultResponse[];
  @ApiProperty({ type: () => AccessReviewResponse, description: 'The review after these decisions' }) review!: AccessReviewResponse;
}
