import { Body, Controller, Delete, Get, Inject, Param, Put, Query } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
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
  type OrganizationUsersView,
  type OrganizationDetailView,
  type OrganizationView,
  type Page,
  type RemovalRecord,
  type RemoveAccessCommand,
  type UpdateRegistrationCommand,
} from '@am/contracts';
import { call } from '@am/service-kit';
import { CallerProofs } from '../auth/caller-proofs.service';
import { ApiKeyScoped, Principal, type CallerPrincipal } from '../auth/principal';
import { PageQueryDto } from '../common/pagination.dto';
import { OrganizationDetailResponse, OrganizationPageResponse, OrganizationResponse, OrganizationUsersResponse, RemovalRecordResponse } from './organizations.responses';
import { OrgIdParams, OrgUserParams, RegistrationDto, RemoveAccessBodyDto, RemoveAccessQueryDto, SearchOrganizationsDto } from './organizations.dto';

@ApiTags('organizations')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('organizations')
export class OrganizationsController {
  constructor(
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
    @Inject(ACCESS_WORKFLOWS_CLIENT) private readonly accessWorkflows: ClientProxy,
    private readonly proofs: CallerProofs,
  ) {}

  @Get()
  @ApiKeyScoped('organizations:read')
  @ApiOperation({ summary: 'Find an organization to connect to, by name or identifier (paginated)' })
  @ApiOkResponse({ type: OrganizationPageResponse })
  search(@Principal() p: AuthenticatedPrincipal, @Query() q: SearchOrganizationsDto): Promise<Page<OrganizationView>> {
    return call(this.directory, DIRECTORY_PATTERNS.searchOrganizations, { ...q, viewerId: p.userId });
  }

  @Get(':orgId')
  @ApiKeyScoped('organizations:read')
  @ApiOperation({ summary: 'One organization, with its approver coverage' })
  @ApiOkResponse({ type: OrganizationDetailResponse })
  @ApiNotFoundResponse({ description: 'No organization has this id' })
  get(@Principal() p: AuthenticatedPrincipal, @Param() params: OrgIdParams): Promise<OrganizationDetailView> {
    return call(this.directory, DIRECTORY_PATTERNS.getOrganization, { organizationId: params.orgId, viewerId: p.userId });
  }

  @Get(':orgId/users')
  @ApiKeyScoped('organizations:read')
  @ApiOperation({ summary: 'Pending requests and connected users (paginated): for its Security Officials and the help desk' })
  @ApiOkResponse({ type: OrganizationUsersResponse })
  @ApiForbiddenResponse({ description: 'Neither a Security Official of this organization nor the help desk' })
  @ApiNotFoundResponse({ description: 'No organization has this id' })
  users(@Principal() p: AuthenticatedPrincipal, @Param() params: OrgIdParams, @Query() q: PageQueryDto): Promise<OrganizationUsersView> {
    return call(this.directory, DIRECTORY_PATTERNS.organizationUsers, { organizationId: params.orgId, viewerId: p.userId, page: q.page, pageSize: q.pageSize });
  }

  @Delete(':orgId/users/:userId')
  @ApiOperation({
    summary: 'Remove a user’s access (after the “Yes, Remove Access” confirmation)',
    description:
      'For the organization’s Security Officials and the help desk. Nobody removes their own access (403: ask another Security Official). ' +
      'The only Security Official is removed only by the help desk, with a `reason` (JSON body or query parameter).',
  })
  @ApiQuery({ name: 'reason', required: false, description: 'Alternative to the body’s reason' })
  @ApiBody({ type: RemoveAccessBodyDto, required: false })
  @ApiOkResponse({ type: RemovalRecordResponse, description: 'The removal: who, which role, by whom, when, why' })
  @ApiBadRequestResponse({ description: 'reason missing where required (field "reason")' })
  @ApiForbiddenResponse({ description: 'Self-removal, not a Security Official here, or the only Security Official (help desk only)' })
  @ApiNotFoundResponse({ description: 'No such organization, or the user holds no role there' })
  @ApiUnprocessableEntityResponse({ description: 'A Shared Savings Program ACO: roles are managed in ACO-MS (MANAGED_IN_ACO_MS)' })
  async remove(
    @Principal() p: CallerPrincipal,
    @Param() params: OrgUserParams,
    @Query() q: RemoveAccessQueryDto,
    @Body() body: RemoveAccessBodyDto,
  ): Promise<RemovalRecord> {
    if (q.reason !== undefined && body?.reason !== undefined && q.reason !== body.reason) {
      throw new DomainError(ERROR_CODES.VALIDATION_FAILED, 'reason was given twice, differently, in the query and the body', 'reason');
    }
    const proof = await this.proofs.for(p, 'access.remove', proofTarget.removal(params.orgId, params.userId));
    const cmd: RemoveAccessCommand = { organizationId: params.orgId, userId: params.userId, removedById: p.userId, reason: body?.reason ?? q.reason, proof };
    // A workflow (access-removal-<id>): the role goes at once; the removed user's email follows durably.
    return call(this.accessWorkflows, ACCESS_WORKFLOWS_PATTERNS.removeAccess, cmd);
  }

  @Put(':orgId/registration')
  @ApiOperation({ summary: 'Edit a practice’s CMS Web Interface / CAHPS for MIPS survey registration, inside the registration window' })
  @ApiOkResponse({ type: OrganizationResponse, description: 'The organization with its new registration' })
  @ApiForbiddenResponse({ description: 'Not a Security Official of this organization' })
  @ApiNotFoundResponse({ description: 'No organization has this id' })
  @ApiUnprocessableEntityResponse({ description: 'Outside the registration window (REGISTRATION_CLOSED), or not a practice (REGISTRATION_NOT_APPLICABLE)' })
  async updateRegistration(@Principal() p: CallerPrincipal, @Param() params: OrgIdParams, @Body() dto: RegistrationDto): Promise<OrganizationView> {
    const proof = await this.proofs.for(p, 'organization.update-registration', proofTarget.organization(params.orgId));
    const cmd: UpdateRegistrationCommand = { organizationId: params.orgId, userId: p.userId, cmsWebInterface: dto.cmsWebInterface, cahpsSurvey: dto.cahpsSurvey, proof };
    return call(this.directory, DIRECTORY_PATTERNS.updateRegistration, cmd);
  }
}
