import { Controller, Get, Inject, Query } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { DIRECTORY_CLIENT, DIRECTORY_PATTERNS, type AuthenticatedPrincipal, type ManageAccessQuery, type ManageAccessView } from '@am/contracts';
import { call } from '@am/service-kit';
import { Principal } from '../auth/principal';
import { PageQueryDto } from '../common/pagination.dto';
import { ManageAccessResponse } from './manage-access.responses';

export class ManageAccessQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Filter by organization name (any part, case-insensitive)', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name?: string;
}

@ApiTags('manage-access')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('manage-access')
export class ManageAccessController {
  constructor(@Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy) {}

  @Get()
  @ApiOperation({
    summary: 'The Manage Access page',
    description:
      'pendingRequests awaiting my decision across all my organizations (paginated by page/pageSize); myRequests, each naming who can approve; ' +
      'connectedOrganizations grouped by kind, each with my role, connected and pending user counts and registration.',
  })
  @ApiOkResponse({ type: ManageAccessResponse })
  view(@Principal() p: AuthenticatedPrincipal, @Query() q: ManageAccessQueryDto): Promise<ManageAccessView> {
    const query: ManageAccessQuery = { userId: p.userId, name: q.name, page: q.page, pageSize: q.pageSize };
    return call(this.directory, DIRECTORY_PATTERNS.manageAccess, query);
  }
}
