import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import {
  ACCESS_WORKFLOWS_CLIENT,
  ACCESS_WORKFLOWS_PATTERNS,
  DIRECTORY_CLIENT,
  DIRECTORY_PATTERNS,
  type AuthenticatedPrincipal,
  type DecideCommand,
  type RoleRequestView,
  type WithdrawCommand,
} from '@am/contracts';
import { call } from '@am/service-kit';
import { ApiKeyScoped, Principal } from '../auth/principal';
import { CreateRoleRequestDto, DenyDto, RequestIdParams } from './role-requests.dto';

@ApiTags('role-requests')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('role-requests')
export class RoleRequestsController {
  constructor(
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
    @Inject(ACCESS_WORKFLOWS_CLIENT) private readonly workflows: ClientProxy,
  ) {}

  @Post()
  @ApiKeyScoped('requests:submit')
  @ApiSecurity('api-key')
  @ApiOperation({
    summary: 'Request a role at an organization; the answer names who can approve it',
    description: 'People request for themselves. An API key with the requests:submit scope requests for the user named in X-On-Behalf-Of (id or login id).',
  })
  @ApiHeader({ name: 'X-On-Behalf-Of', required: false, description: 'API keys only: the user (id or login id) the request is for' })
  @ApiCreatedResponse({ description: 'The PENDING request, its workflowId and its approvers' })
  @ApiConflictResponse({ description: 'A pending request exists already, or the role is already held' })
  @ApiUnprocessableEntityResponse({ description: 'A Shared Savings Program ACO: roles are managed in ACO-MS' })
  submit(@Principal() p: AuthenticatedPrincipal, @Body() dto: CreateRoleRequestDto): Promise<RoleRequestView> {
    return call(this.workflows, ACCESS_WORKFLOWS_PATTERNS.submit, { requesterId: p.userId, ...dto });
  }

  @Get(':id')
  @ApiKeyScoped('requests:read')
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'One request: for its requester, its approvers and the help desk' })
  @ApiForbiddenResponse()
  @ApiNotFoundResponse()
  get(@Principal() p: AuthenticatedPrincipal, @Param() params: RequestIdParams): Promise<RoleRequestView> {
    return call(this.directory, DIRECTORY_PATTERNS.getRoleRequest, { requestId: params.id, viewerId: p.userId });
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve: when this answers 200 the role is already granted' })
  @ApiOkResponse({ description: 'The decided request' })
  @ApiForbiddenResponse({ description: 'Not an approver of this request, or one’s own request' })
  @ApiConflictResponse({ description: 'Already decided: says who decided what, when' })
  approve(@Principal() p: AuthenticatedPrincipal, @Param() params: RequestIdParams): Promise<RoleRequestView> {
    const cmd: DecideCommand = { requestId: params.id, deciderId: p.userId, decision: 'APPROVE' };
    return call(this.workflows, ACCESS_WORKFLOWS_PATTERNS.decide, cmd);
  }

  @Post(':id/deny')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deny, with an optional reason told to the requester' })
  @ApiOkResponse({ description: 'The decided request' })
  @ApiForbiddenResponse({ description: 'Not an approver of this request, or one’s own request' })
  @ApiConflictResponse({ description: 'Already decided: says who decided what, when' })
  deny(@Principal() p: AuthenticatedPrincipal, @Param() params: RequestIdParams, @Body() dto: DenyDto): Promise<RoleRequestView> {
    const cmd: DecideCommand = { requestId: params.id, deciderId: p.userId, decision: 'DENY', reason: dto.reason };
    return call(this.workflows, ACCESS_WORKFLOWS_PATTERNS.decide, cmd);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw one’s own pending request; a new one may be submitted later' })
  @ApiOkResponse({ description: 'The WITHDRAWN request' })
  @ApiForbiddenResponse({ description: 'Not the requester' })
  @ApiConflictResponse({ description: 'Already decided, withdrawn or expired: says who did what, when' })
  withdraw(@Principal() p: AuthenticatedPrincipal, @Param() params: RequestIdParams): Promise<RoleRequestView> {
    const cmd: WithdrawCommand = { requestId: params.id, requesterId: p.userId };
    return call(this.workflows, ACCESS_WORKFLOWS_PATTERNS.withdraw, cmd);
  }
}
