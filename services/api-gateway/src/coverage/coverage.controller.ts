import { Controller, Get, Inject, Query } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { ApiBearerAuth, ApiCookieAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { COVERAGE_STATES, DIRECTORY_CLIENT, DIRECTORY_PATTERNS, type AuthenticatedPrincipal, type CoverageEntryView, type CoverageQuery, type CoverageState, type Page } from '@am/contracts';
import { call } from '@am/service-kit';
import { Principal } from '../auth/principal';
import { PageQueryDto } from '../common/pagination.dto';
import { CoveragePageResponse } from '../organizations/organizations.responses';

export class CoverageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: COVERAGE_STATES, enumName: 'CoverageState', description: 'Only this state; without it, the organizations at risk (NONE and SINGLE)' })
  @IsOptional()
  @IsIn(COVERAGE_STATES, { message: `state must be one of ${COVERAGE_STATES.join(', ')}` })
  state?: CoverageState;
}

@ApiTags('coverage')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('coverage')
export class CoverageController {
  constructor(@Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy) {}

  @Get()
  @ApiOperation({
    summary: 'Help desk: organizations by approver coverage, the riskiest first (issue 18)',
    description:
      'Every organization (but Shared Savings Program ACOs) whose coverage is the given state, or NONE and SINGLE without one: no Security Official first, then the most requests waiting, the oldest waiting longest. Each with its pending requests and the age of the oldest.',
  })
  @ApiOkResponse({ type: CoveragePageResponse })
  @ApiForbiddenResponse({ description: 'Not the help desk' })
  list(@Principal() p: AuthenticatedPrincipal, @Query() q: CoverageQueryDto): Promise<Page<CoverageEntryView>> {
    const query: CoverageQuery = { viewerId: p.userId, state: q.state, page: q.page, pageSize: q.pageSize };
    return call(this.directory, DIRECTORY_PATTERNS.coverage, query);
  }
}
