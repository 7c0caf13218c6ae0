import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import {
  ACCESS_WORKFLOWS_CLIENT,
  ACCESS_WORKFLOWS_PATTERNS,
  DIRECTORY_CLIENT,
  DIRECTORY_PATTERNS,
  proofTarget,
  type AuthenticatedPrincipal,
  type CreateNominationCommand,
  type NominationResponse as Answer,
  type NominationView,
  type RespondToNominationCommand,
} from '@am/contracts';
import { call } from '@am/service-kit';
import { CallerProofs } from '../auth/caller-proofs.service';
import { Principal, type CallerPrincipal } from '../auth/principal';
import { OrgIdParams } from '../organizations/organizations.dto';
import { CreateNominationDto, NominationIdParams } from './nominations.dto';
import { NominationListResponse, NominationResponse } from './nominations.responses';

/** Nominating a backup Security Official (issue 18). People only: no API key acts here. */
@ApiTags('nominations')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller()
export class NominationsController {
  constructor(
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
    @Inject(ACCESS_WORKFLOWS_CLIENT) private readonly workflows: ClientProxy,
    private readonly proofs: CallerProofs,
  ) {}

  @Post('organizations/:orgId/nominations')
  @ApiOperation({
    summary: 'Nominate a backup Security Official: a connected Staff User, or any registered account by user id',
    description:
      'For the organization’s Security Officials. The nominee is emailed and accepts or declines; unanswered, the nomination expires after NOMINATION_EXPIRES_AFTER (14 days by default) and the nominator is told. Acceptance grants the Security Official role, recorded as approved by the nominator.',
  })
  @ApiCreatedResponse({ type: NominationResponse, description: 'The PENDING nomination, its workflowId and when it expires' })
  @ApiForbiddenResponse({ description: 'Not a Security Official of this organization; oneself; or a disabled account (ACCOUNT_DISABLED, field userId)' })
  @ApiNotFoundResponse({ description: 'No organization has this id, or no account has this user id (field userId)' })
  @ApiConflictResponse({ description: 'The nominee is a Security Official there already (ROLE_ALREADY_HELD), or has a pending nomination there (ALREADY_NOMINATED)' })
  @ApiUnprocessableEntityResponse({ description: 'A Shared Savings Program ACO: roles are managed in ACO-MS (MANAGED_IN_ACO_MS)' })
  async nominate(@Principal() p: CallerPrincipal, @Param() params: OrgIdParams, @Body() dto: CreateNominationDto): Promise<NominationView> {
    const proof = await this.proofs.for(p, 'nomination.create', proofTarget.nominations(params.orgId));
    const cmd: CreateNominationCommand = { organizationId: params.orgId, nominatorId: p.userId, nominee: dto.userId, message: dto.message, proof };
    return call(this.workflows, ACCESS_WORKFLOWS_PATTERNS.nominate, cmd);
  }

  @Get('me/nominations')
  @ApiOperation({ summary: 'The caller’s pending nominations, to accept or decline' })
  @ApiOkResponse({ type: NominationListResponse })
  mine(@Principal() p: AuthenticatedPrincipal): Promise<{ items: NominationView[] }> {
    return call(this.directory, DIRECTORY_PATTERNS.myNominations, { userId: p.userId });
  }

  @Get('nominations/:id')
  @ApiOperation({ summary: 'One nomination: for its nominee, the organization’s Security Officials and the help desk' })
  @ApiOkResponse({ type: NominationResponse })
  @ApiForbiddenResponse({ description: 'Neither the nominee nor a Security Official of the organization nor the help desk' })
  @ApiNotFoundResponse({ description: 'No nomination has this id' })
  get(@Principal() p: AuthenticatedPrincipal, @Param() params: NominationIdParams): Promise<NominationView> {
    return call(this.directory, DIRECTORY_PATTERNS.getNomination, { nominationId: params.id, viewerId: p.userId });
  }

  @Post('nominations/:id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept: when this answers 200 the nominee is a Security Official of the organization' })
  @ApiOkResponse({ type: NominationResponse, description: 'The ACCEPTED nomination' })
  @ApiForbiddenResponse({ description: 'Not the nominee' })
  @ApiNotFoundResponse({ description: 'No nomination has this id' })
  @ApiConflictResponse({
    description: 'Declined or expired already (ALREADY_DECIDED: says what happened when); or the nominator is no longer a Security Official there (NOMINATION_LAPSED)',
  })
  accept(@Principal() p: CallerPrincipal, @Param() params: NominationIdParams): Promise<NominationView> {
    return this.respond(p, params.id, 'ACCEPT');
  }

  @Post('nominations/:id/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline the nomination; the nominator is told' })
  @ApiOkResponse({ type: NominationResponse, description: 'The DECLINED nomination' })
  @ApiForbiddenResponse({ description: 'Not the nominee' })
  @ApiNotFoundResponse({ description: 'No nomination has this id' })
  @ApiConflictResponse({ description: 'Accepted or expired already (ALREADY_DECIDED): says what happened when' })
  decline(@Principal() p: CallerPrincipal, @Param() params: NominationIdParams): Promise<NominationView> {
    return this.respond(p, params.id, 'DECLINE');
  }

  private async respond(p: CallerPrincipal, nominationId: string, response: Answer): Promise<NominationView> {
    const proof = await this.proofs.for(p, 'nomination.respond', proofTarget.nomination(nominationId));
    const cmd: RespondToNominationCommand = { nominationId, nomineeId: p.userId, response, proof };
    return call(this.workflows, ACCESS_WORKFLOWS_PATTERNS.respondToNomination, cmd);
  }
}
