// Documentation only: the OpenAPI shape of EmailPreferencesView (@am/contracts).
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { EMAIL_DIGEST_CHOICES, type EmailDigestChoice, type EmailPreferencesView } from '@am/contracts';

@ApiSchema({ name: 'EmailPreferencesView' })
export class EmailPreferencesResponse implements EmailPreferencesView {
  @ApiProperty({ enum: EMAIL_DIGEST_CHOICES, enumName: 'EmailDigestChoice', description: 'immediate: one email per request; daily: one digest a day', example: 'daily' })
  emailDigest!: EmailDigestChoice;
  @ApiProperty({ minimum: 0, maximum: 23, description: 'The local hour the daily digest goes out at', example: 8 })
  digestHour!: number;
  @ApiProperty({ description: 'The IANA time zone of digestHour', example: 'America/New_York' })
  timeZone!: string;
}
