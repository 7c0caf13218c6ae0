import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post } from '@nestjs/common';
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
  proofTarget,
  type AuthenticatedPrincipal,
  type DecideCommand,
  type DecideManyCommand,
  type DecisionResult,
  type RoleRequestView,
  type UndoCommand,
  type WithdrawCommand,
} from '@am/contracts';
import { call } from '@am/service-kit';
import { CallerProofs } from '../auth/caller-proofs.service';
import { ApiKeyScoped, callerKey, Principal, type CallerPrincipal } from '../auth/principal';
import { STATUS_OF } from '../common/http-error.filter';
import { idempotentCallId } from '../common/idempotency.interceptor';
import { assertReasonFits, CreateRoleRequestDto, DecisionsDto, DenyDto, RequestIdParams } from './role-requests.dto';
import { DecisionResultsResponse, RoleRequestResponse } from './role-requests.responses';

/** The call's id under the caller's Idempotency-Key (see idempotentCallId); none without a key. */
const callIdOf = (action: string, p: CallerPrincipal, idempotencyKey: string | undefined) => (idempotencyKey ? idempotentCallId(action, callerKey(p), idempotencyKey) : undefined);

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
  async submit(@Principal() p: CallerPrincipal, @Body() dto: CreateRoleRequestDto, @Headers('idempotency-key') idempotencyKey?: string): Promise<RoleRequestView> {
    const proof = await this.proofs.for(p, 'role-request.submit', proofTarget.submit(dto.organizationId, dto.role));
    const submissionId = callIdOf('role-request.submit', p, idempotencyKey);
    return call(this.workflows, ACCESS_WORKFLOWS_PATTERNS.submit, { requesterId: p.userId, ...dto, submissionId, proof });
  }

  @Post('decisions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve or deny up to 100 requests in one call, each exactly as if alone',
    description:
      'Each request is decided by the same rules and the same workflow Update as a single approve or deny, with the same emails and audit. One request refused (decided already by someone else: 409; not the caller’s to decide: 403) fails alone; the answer lists every request in the order given. Denials carry undoUntil like a single deny.',
  })
  @ApiOkResponse({ type: DecisionResultsResponse })
  @ApiBadRequestResponse({ description: 'decision, requestIds (1 to 100 distinct UUIDs), reasonCode or reason is malformed; OTHER without a reason; a reason with APPROVE' })
  async decideMany(@Principal() p: CallerPrincipal, @Body() dto: DecisionsDto): Promise<{ results: (DecisionResult & { status: number })[] }> {
    assertReasonFits(dto, dto.decision);
    const action = dto.decision === 'APPROVE' ? 'role-request.approve' : 'role-request.deny';
    const items = await Promise.all(dto.requestIds.map(async (requestId) => ({ requestId, proof: await this.proofs.for(p, action, proofTarget.request(requestId)) })));
    const cmd: DecideManyCommand = { deciderId: p.userId, decision: dto.decision, reason: dto.reason, reasonCode: dto.reasonCode, items };
    const results = await call<DecisionResult[]>(this.workflows, ACCESS_WORKFLOWS_PATTERNS.decideMany, cmd);
    return { results: results.map((r) => ({ ...r, status: 'error' in r ? STATUS_OF[r.error.code] : 200 })) };
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
  async approve(@Principal() p: CallerPrincipal, @Param() params: RequestIdParams, @Headers('idempotency-key') idempotencyKey?: string): Promise<RoleRequestView> {
    const proof = await this.proofs.for(p, 'role-request.approve', proofTarget.request(params.id));
    const callId = callIdOf('role-request.approve', p, idempotencyKey);
    const cmd: DecideCommand = { requestId: params.id, deciderId: p.userId, decision: 'APPROVE', callId, proof };
    return call(this.workflows, ACCESS_WORKFLOWS_PATTERNS.decide, cmd);
  }

  @Post(':id/deny')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deny, with an optional reason told to the requester' })
  @ApiOkResponse({ type: RoleRequestResponse, description: 'The decided request' })
  @ApiForbiddenResponse({ description: 'Not an approver of this request, or one’s own request' })
  @ApiNotFoundResponse({ description: 'No role request has this id' })
  @ApiConflictResponse({ description: 'Already decided (ALREADY_DECIDED): says who decided what, when' })
  async deny(@Principal() p: CallerPrincipal, @Param() params: RequestIdParams, @Body() dto: DenyDto, @Headers('idempotency-key') idempotencyKey?: string): Promise<RoleRequestView> {
    assertReasonFits(dto, 'DENY');
    const proof = await this.proofs.for(p, 'role-request.deny', proofTarget.request(params.id));
    const callId = callIdOf('role-request.deny', p, idempotencyKey);
    const cmd: DecideCommand = { requestId: params.id, deciderId: p.userId, decision: 'DENY', reason: dto.reason, reasonCode: dto.reasonCode, callId, proof };
    return call(this.workflows, ACCESS_WORKFLOWS_PATTERNS.decide, cmd);
  }

  @Post(':id/undo')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Undo a denial inside its undo window: the request is pending again',
    description:
      'Any approver of the request (its decider included) may, until undoUntil. The requester was told nothing of the denial and is told nothing of the undo. Approvals cannot be undone: they grant at once, and removal is the way back.',
  })
  @ApiOkResponse({ type: RoleRequestResponse, description: 'The request, PENDING again' })
  @ApiForbiddenResponse({ description: 'Not an approver of this request, or one’s own request' })
  @ApiNotFoundResponse({ description: 'No role request has this id' })
  @ApiConflictResponse({ description: 'The undo window closed (UNDO_WINDOW_CLOSED, with when); or not a denial (NOT_UNDOABLE: approvals are undone by removing the access)' })
  async undo(@Principal() p: CallerPrincipal, @Param() params: RequestIdParams): Promise<RoleRequestView> {
    const proof = await this.proofs.for(p, 'role-request.undo', proofTarget.request(params.id));
    const cmd: UndoCommand = { requestId: params.id, actorId: p.userId, proof };
    return call(this.workflows, ACCESS_WORKFLOWS_PATTERNS.undo, cmd);
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
