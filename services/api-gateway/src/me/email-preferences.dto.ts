import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { DEFAULT_DIGEST_HOUR, DEFAULT_TIME_ZONE, EMAIL_DIGEST_CHOICES, isTimeZone, TIME_ZONE_RULE, type EmailDigestChoice } from '@am/contracts';

@ValidatorConstraint({ name: 'timeZone' })
class IsTimeZone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isTimeZone(value);
  }
  defaultMessage(): string {
    return `timeZone ${TIME_ZONE_RULE}`;
  }
}

/** Issue 19: per-request emails or one daily digest; an omitted digestHour or timeZone keeps the current one. */
export class UpdateEmailPreferencesDto {
  @ApiProperty({ enum: EMAIL_DIGEST_CHOICES, description: 'immediate: one email per request (the default); daily: one digest a day of the requests waiting on you', example: 'daily' })
  @IsIn(EMAIL_DIGEST_CHOICES, { message: `emailDigest must be one of: ${EMAIL_DIGEST_CHOICES.join(', ')}` })
  emailDigest!: EmailDigestChoice;

  @ApiPropertyOptional({ minimum: 0, maximum: 23, description: `The local hour the digest goes out at (default ${DEFAULT_DIGEST_HOUR})`, example: 7 })
  @IsOptional()
  @IsInt({ message: 'digestHour must be a whole hour from 0 to 23' })
  @Min(0, { message: 'digestHour must be a whole hour from 0 to 23' })
  @Max(23, { message: 'digestHour must be a whole hour from 0 to 23' })
  digestHour?: number;

  @ApiPropertyOptional({ maxLength: 64, description: `The IANA time zone of digestHour (default ${DEFAULT_TIME_ZONE})`, example: 'America/Chicago' })
  @IsOptional()
  @IsString({ message: `timeZone ${TIME_ZONE_RULE}` })
  @Validate(IsTimeZone)
  timeZone?: string;
}
