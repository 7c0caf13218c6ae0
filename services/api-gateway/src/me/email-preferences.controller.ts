import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { ApiBadRequestResponse, ApiBearerAuth, ApiCookieAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DIRECTORY_CLIENT, DIRECTORY_PATTERNS, proofTarget, type AuthenticatedPrincipal, type EmailPreferencesView, type UpdateEmailPreferencesCommand } from '@am/contracts';
import { call } from '@am/service-kit';
import { CallerProofs } from '../auth/caller-proofs.service';
import { Principal, type CallerPrincipal } from '../auth/principal';
import { UpdateEmailPreferencesDto } from './email-preferences.dto';
import { EmailPreferencesResponse } from './email-preferences.responses';

/** The caller's email preferences (issue 19). People only: an API key gets 403, as on every /me route. */
@ApiTags('me')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('me/preferences')
export class EmailPreferencesController {
  constructor(
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
    private readonly proofs: CallerProofs,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The caller’s email preferences: per-request emails or a daily digest, its hour and time zone' })
  @ApiOkResponse({ type: EmailPreferencesResponse })
  @ApiForbiddenResponse({ description: 'An API key: this is for people signed in' })
  get(@Principal() p: AuthenticatedPrincipal): Promise<EmailPreferencesView> {
    return call(this.directory, DIRECTORY_PATTERNS.getEmailPreferences, { userId: p.userId });
  }

  @Put()
  @ApiOperation({
    summary: 'Choose per-request emails (immediate) or one daily digest of the requests waiting on you',
    description:
      'On the daily digest, the emails asking you to decide a request (submitted, reminders) are left to one email a day at digestHour in timeZone, listing every request waiting on you by organization; in-app notices stay live, and decisions, removals, escalations and what concerns your own requests stay immediate. An omitted digestHour or timeZone keeps the current one (by default 8 and America/New_York). Audited.',
  })
  @ApiOkResponse({ type: EmailPreferencesResponse, description: 'The preferences as saved' })
  @ApiBadRequestResponse({ description: 'emailDigest not immediate or daily, digestHour not a whole hour from 0 to 23, timeZone not an IANA time zone, or an unknown field (each named)' })
  @ApiForbiddenResponse({ description: 'An API key: this is for people signed in' })
  async update(@Principal() p: CallerPrincipal, @Body() dto: UpdateEmailPreferencesDto): Promise<EmailPreferencesView> {
    const proof = await this.proofs.for(p, 'preferences.update', proofTarget.preferences(p.userId));
    const cmd: UpdateEmailPreferencesCommand = { userId: p.userId, emailDigest: dto.emailDigest, digestHour: dto.digestHour, timeZone: dto.timeZone, proof };
    return call(this.directory, DIRECTORY_PATTERNS.updateEmailPreferences, cmd);
  }
}
