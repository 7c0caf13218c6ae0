import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import {
  ACCESS_WORKFLOWS_CLIENT,
  ACCESS_WORKFLOWS_PATTERNS,
  DIRECTORY_CLIENT,
  DIRECTORY_PATTERNS,
  DomainError,
  ERROR_CODES,
  proofTarget,
  type AccessReviewCampaignView,
  type AccessReviewDecisionsView,
  type AccessReviewLookupView,
  type AccessReviewSummaryView,
  type AuthenticatedPrincipal,
  type DecideAccessReviewCommand,
  type Page,
  type StartAccessReviewCampaignCommand,
} from '@am/contracts';
import { call } from '@am/service-kit';
import { CallerProofs } from '../auth/caller-proofs.service';
import { Principal, type CallerPrincipal } from '../auth/principal';
import { PageQueryDto } from '../common/pagination.dto';
import { AccessReviewDecisionsDto, AccessReviewIdParams, assertDistinctUsers, StartAccessReviewDto } from './access-reviews.dto';
import {
  AccessReviewCampaignPageResponse,
  AccessReviewCampaignResponse,
  AccessReviewDecisionsResponse,
  AccessReviewListResponse,
  AccessReviewLookupCampaignResponse,
  AccessReviewLookupReviewResponse,
} from './access-reviews.responses';

/**
 * Access reviews (issue 18): the help desk starts campaigns and follows them; each organization's
 * Security Officials (or the help desk) keep or remove its users. People only: no API key acts here.
 */
@ApiTags('access-reviews')
@ApiBearerAuth()
@ApiCookieAuth()
@ApiExtraModels(AccessReviewLookupCampaignResponse, AccessReviewLookupReviewResponse)
@Controller()
export class AccessReviewsController {
  constructor(
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
    @Inject(ACCESS_WORKFLOWS_CLIENT) private readonly workflows: ClientProxy,
    private readonly proofs: CallerProofs,
  ) {}

  @Post('access-reviews')
  @ApiOperation({
    summary: 'Help desk: start an access review campaign, for one organization or every one',
    description:
      'Opens one review per organization with connected users (not Shared Savings Program ACOs, not one with a review open already), each a Temporal workflow that emails its Security Officials (the help desk where there are none), reminds them every ACCESS_REVIEW_REMINDER_INTERVAL, alerts the help desk ACCESS_REVIEW_ESCALATE_BEFORE the due date, applies ACCESS_REVIEW_UNREVIEWED to the users nobody reviewed at the due date, and sends a summary. Answered once the campaign and its reviews are recorded; their workflows open right after.',
  })
  @ApiCreatedResponse({ type: AccessReviewCampaignResponse })
  @ApiForbiddenResponse({ description: 'Not the help desk' })
  @ApiNotFoundResponse({ description: 'No organization has this id (field organizationId)' })
  @ApiConflictResponse({ description: 'The organization has an access review open already (ACCESS_REVIEW_OPEN, details.reviewId)' })
  @ApiUnprocessableEntityResponse({ description: 'A Shared Savings Program ACO: roles are managed in ACO-MS (MANAGED_IN_ACO_MS)' })
  async start(@Principal() p: CallerPrincipal, @Body() dto: StartAccessReviewDto): Promise<AccessReviewCampaignView> {
    if (p.platformRole !== 'HELP_DESK') throw new DomainError(ERROR_CODES.FORBIDDEN, 'Only the help desk can start an access review campaign');
    const proof = await this.proofs.for(p, 'access-review.start', proofTarget.accessReviews());
    const cmd: StartAccessReviewCampaignCommand = { startedById: p.userId, organizationId: dto.organizationId, dueAt: dto.dueAt, proof };
    return call(this.workflows, ACCESS_WORKFLOWS_PATTERNS.startAccessReviewCampaign, cmd);
  }

  @Get('access-reviews')
  @ApiOperation({ summary: 'Help desk: the campaigns, newest first, each with its completion' })
  @ApiOkResponse({ type: AccessReviewCampaignPageResponse })
  @ApiForbiddenResponse({ description: 'Not the help desk' })
  campaigns(@Principal() p: AuthenticatedPrincipal, @Query() q: PageQueryDto): Promise<Page<AccessReviewCampaignView>> {
    return call(this.directory, DIRECTORY_PATTERNS.listAccessReviewCampaigns, { viewerId: p.userId, page: q.page, pageSize: q.pageSize });
  }

  @Get('me/access-reviews')
  @ApiOperation({ summary: 'The caller’s open access reviews: where they are a Security Official (and, for the help desk, where nobody is)' })
  @ApiOkResponse({ type: AccessReviewListResponse })
  mine(@Principal() p: AuthenticatedPrincipal): Promise<{ items: AccessReviewSummaryView[] }> {
    return call(this.directory, DIRECTORY_PATTERNS.myAccessReviews, { userId: p.userId });
  }

  @Get('access-reviews/:id')
  @ApiOperation({
    summary: 'A campaign (kind "campaign", help desk: its organizations’ reviews, a page at a time) or one organization’s review (kind "review", its Security Officials and the help desk)',
  })
  @ApiOkResponse({ schema: { oneOf: [{ $ref: getSchemaPath(AccessReviewLookupCampaignResponse) }, { $ref: getSchemaPath(AccessReviewLookupReviewResponse) }] } })
  @ApiForbiddenResponse({ description: 'Not a Security Official of the organization nor the help desk (a campaign: not the help desk)' })
  @ApiNotFoundResponse({ description: 'No campaign or review has this id' })
  get(@Principal() p: AuthenticatedPrincipal, @Param() params: AccessReviewIdParams, @Query() q: PageQueryDto): Promise<AccessReviewLookupView> {
    return call(this.directory, DIRECTORY_PATTERNS.getAccessReview, { id: params.id, viewerId: p.userId, page: q.page, pageSize: q.pageSize });
  }

  @Post('access-reviews/:id/decisions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Keep or remove users under review, each decided as if alone',
    description:
      'For the organization’s Security Officials and the help desk. Each user’s first decision wins; a REMOVE runs through the removal workflow with its rules (never oneself, never the last Security Official: refused at once, and recorded as refused should the rules refuse it later).',
  })
  @ApiOkResponse({ type: AccessReviewDecisionsResponse })
  @ApiForbiddenResponse({ description: 'Not a Security Official of the organization nor the help desk' })
  @ApiNotFoundResponse({ description: 'No review has this id' })
  @ApiConflictResponse({ description: 'The review has closed (ACCESS_REVIEW_CLOSED): its decisions are final' })
  async decide(@Principal() p: CallerPrincipal, @Param() params: AccessReviewIdParams, @Body() dto: AccessReviewDecisionsDto): Promise<AccessReviewDecisionsView> {
    assertDistinctUsers(dto);
    const proof = await this.proofs.for(p, 'access-review.decide', proofTarget.accessReview(params.id));
    const cmd: DecideAccessReviewCommand = { reviewId: params.id, deciderId: p.userId, items: dto.items.map((i) => ({ userId: i.userId, decision: i.decision })), proof };
    return call(this.workflows, ACCESS_WORKFLOWS_PATTERNS.decideAccessReview, cmd);
  }
}
