import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsBoolean, IsIn, IsJWT, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { STATEMENT_OF_TRUTH } from '@am/contracts';

export class SignInDto {
  @ApiProperty({ example: 'elizabeth.blackwell' })
  @IsString()
  @Length(1, 100)
  userId!: string;

  @ApiProperty({ example: 'Demo#2026!access', format: 'password' })
  @IsString()
  @Length(1, 200)
  password!: string;

  @ApiProperty({ description: `Agreement to the Statement of Truth (version ${STATEMENT_OF_TRUTH.version}): ${STATEMENT_OF_TRUTH.text}`, example: true })
  @IsBoolean({ message: 'acceptStatementOfTruth must be true: you must agree to the Statement of Truth to sign in' })
  @Equals(true, { message: 'acceptStatementOfTruth must be true: you must agree to the Statement of Truth to sign in' })
  acceptStatementOfTruth!: boolean;
}

export class MfaDto {
  @ApiProperty({ description: 'The mfaToken returned by sign-in' })
  @IsString()
  @MaxLength(2000)
  @IsJWT({ message: 'mfaToken must be the token returned by sign-in' })
  mfaToken!: string;

  @ApiProperty({ example: '123456', description: 'The 6-digit security code from the authenticator app' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;

  @ApiPropertyOptional({
    enum: ['token', 'cookie'],
    default: 'token',
    description:
      'token: the session token is returned for Authorization: Bearer. cookie (the web UI): it is set as an httpOnly, SameSite=Strict cookie ' +
      'instead, with a CSRF token (also in the readable am_csrf cookie) that every POST/PUT/DELETE must echo in X-CSRF-Token.',
  })
  @IsOptional()
  @IsIn(['token', 'cookie'], { message: 'session must be token or cookie' })
  session?: 'token' | 'cookie';
}

export class MfaChallengeResponse {
  @ApiProperty() mfaToken!: string;
}
