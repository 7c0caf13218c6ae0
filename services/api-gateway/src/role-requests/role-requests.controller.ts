import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCookieAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
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
  DomainError,
  ERROR_CODES,
  proofTarget,
  type AuthenticatedPrincipal,
  type DecideCommand,
  type RoleRequestView,
  type WithdrawCommand,
} from '@am/contracts';
import { call } from '@am/service-kit';
import { CallerProofs } from '../auth/caller-proofs.service';
import { ApiKeyScoped, Principal, type CallerPrincipal } from '../auth/principal';
import { CreateRoleRequestDto, DenyDto, RequestIdParams } from './role-requests.dto';
import { RoleRequestResponse } from './role-requests.responses';

@ApiTags('role-requests')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('role-requests')
export class RoleRequestsController {
  constructor(
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
    @Inject(ACCESS_WORKFLOWS_CLIENT) private readonly workflows: ClientProxy,
    private readonly proofs: CallerProofs,
  ) {}

  @Post()
  @ApiKeyScoped('requests:submit')
  @ApiOperation({
    summary: 'Request a role at an organization; the answer names who can approve it',
    description: 'People request for themselves. An API key with the requests:submit scope requests for the user named in X-On-Behalf-Of (id or login id).',
  })
  @ApiHeader({ name: 'X-On-Behalf-Of', required: false, description: 'API keys only: the user (id or login id) the request is for' })
  @ApiCreatedResponse({ type: RoleRequestResponse, description: 'The PENDING request, its workflowId and its approvers' })
  @ApiBadRequestResponse({ description: 'A field is malformed; or an API key sent no X-On-Behalf-Of, or one that names no user' })
  @ApiNotFoundResponse({ description: 'No organization has this id' })
  @ApiConflictResponse({ description: 'A pending request exists already (DUPLICATE_PENDING_REQUEST), or the role is already held (ROLE_ALREADY_HELD)' })
  @ApiUnprocessableEntityResponse({ description: 'A Shared Savings Program ACO: roles are managed in ACO-MS (MANAGED_IN_ACO_MS)' })
  async submit(@Principal() p: CallerPrincipal, @Body() dto: CreateRoleRequestDto): Promise<RoleRequestView> {
    const proof = await this.proofs.for(p, 'role-request.submit', proofTarget.submit(dto.organizationId, dto.role));
    return call(this.workflows, ACCESS_WORKFLOWS_PATTERNS.submit, { requesterId: p.userId, ...dto, proof });
  }

  @Get(':id')
  @ApiKeyScoped('requests:read')
  @ApiOperation({ summary: 'One request: for its requester, its approvers and the help desk' })
  @ApiOkResponse({ type: RoleRequestResponse })
  @ApiForbiddenResponse({ description: 'Neither its requester nor an approver nor the help desk' })
  @ApiNotFoundResponse({ description: 'No such request' })
  get(@Principal() p: AuthenticatedPrincipal, @Param() params: RequestIdParams): Promise<RoleRequestView> {
    return call(this.directory, DIRECTORY_PATTERNS.getRoleRequest, { requestId: params.id, viewerId: p.userId });
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve: when this answers 200 the role is already granted' })
  @ApiOkResponse({ type: RoleRequestResponse, description: 'The decided request' })
  @ApiForbiddenResponse({ description: 'Not an approver of this request, or one’s own request' })
  @ApiNotFoundResponse({ description: 'No role request has this id' })
  @ApiConflictResponse({ description: 'Already decided (ALREADY_DECIDED): says who decided what, when' })
  async approve(@Principal() p: CallerPrincipal, @Param() params: RequestIdParams): Promise<RoleRequestView> {
    const proof = await this.proofs.for(p, 'role-request.approve', proofTarget.request(params.id));
    const cmd: DecideCommand = { requestId: params.id, deciderId: p.userId, decision: 'APPROVE', proof };
    return call(this.workflows, ACCESS_WORKFLOWS_PATTERNS.decide, cmd);
  }

  @Post(':id/deny')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deny, with an optional reason told to the requester' })
  @ApiOkResponse({ type: RoleRequestResponse, description: 'The decided request' })
  @ApiForbiddenResponse({ description: 'Not an approver of this request, or one’s own request' })
  @ApiNotFoundResponse({ description: 'No role request has this id' })
  @ApiConflictResponse({ description: 'Already decided (ALREADY_DECIDED): says who decided what, when' })
  async deny(@Principal() p: CallerPrincipal, @Param() params: RequestIdParams, @Body() dto: DenyDto): Promise<RoleRequestView> {
    const proof = await this.proofs.for(p, 'role-request.deny', proofTarget.request(params.id));
    if (dto.reasonCode === 'OTHER' && !dto.reason?.trim()) throw new DomainError(ERROR_CODES.VALIDATION_FAILED, 'reason is required when reasonCode is OTHER', 'reason');
    const cmd: DecideCommand = { requestId: params.id, deciderId: p.userId, decision: 'DENY', reason: dto.reason, reasonCode: dto.reasonCode, proof };
    return call(this.workflows, ACCESS_WORKFLOWS_PATTERNS.decide, cmd);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw one’s own pending request; a new one may be submitted later' })
  @ApiOkResponse({ type: RoleRequestResponse, description: 'The WITHDRAWN request' })
  @ApiForbiddenResponse({ description: 'Not the requester' })
  @ApiNotFoundResponse({ description: 'No role request has this id' })
  @ApiConflictResponse({ description: 'Already decided, withdrawn or expired (ALREADY_DECIDED): says who did what, when' })
  async withdraw(@Principal() p: CallerPrincipal, @Param() params: RequestIdParams): Promise<RoleRequestView> {
    const proof = await this.proofs.for(p, 'role-request.withdraw', proofTarget.request(params.id));
    const cmd: WithdrawCommand = { requestId: params.id, requesterId: p.userId, proof };
    return call(this.workflows, ACCESS_WORKFLOWS_PATTERNS.withdraw, cmd);
  }
}
