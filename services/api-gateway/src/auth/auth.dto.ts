import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsBoolean, IsIn, IsJWT, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
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

const SESSION_DOC =
  'token: the session token is returned for Authorization: Bearer. cookie (the web UI): it is set as an httpOnly, SameSite=Strict cookie ' +
  'instead, with a CSRF token (also in the readable am_csrf cookie) that every POST/PUT/DELETE must echo in X-CSRF-Token.';

export class MfaDto {
  @ApiProperty({ description: 'The mfaToken returned by sign-in' })
  @IsString()
  @MaxLength(2000)
  @IsJWT({ message: 'mfaToken must be the token returned by sign-in' })
  mfaToken!: string;

  @ApiPropertyOptional({ example: '123456', description: 'The 6-digit security code from the authenticator app (required unless recoveryCode is sent)' })
  @ValidateIf((o: MfaDto) => o.recoveryCode === undefined)
  @IsString({ message: 'code must be 6 digits' })
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code?: string;

  @ApiPropertyOptional({
    example: '7K3M-Q9XD-2HVT-B6RA',
    description: 'Instead of code: one of the recovery codes shown at enrollment. Each works once; the answer says how many are left.',
  })
  @ValidateIf((o: MfaDto) => o.recoveryCode !== undefined)
  @IsString({ message: 'recoveryCode must be a recovery code such as 7K3M-Q9XD-2HVT-B6RA' })
  @Length(16, 40, { message: 'recoveryCode must be a recovery code such as 7K3M-Q9XD-2HVT-B6RA' })
  recoveryCode?: string;

  @ApiPropertyOptional({ enum: ['token', 'cookie'], default: 'token', description: SESSION_DOC })
  @IsOptional()
  @IsIn(['token', 'cookie'], { message: 'session must be token or cookie' })
  session?: 'token' | 'cookie';
}

export class EnrollDto {
  @ApiProperty({ description: 'The enrollmentToken returned by sign-in (next = enroll-two-factor)' })
  @IsString()
  @MaxLength(2000)
  @IsJWT({ message: 'enrollmentToken must be the token returned by sign-in' })
  enrollmentToken!: string;
}

export class ConfirmEnrollmentDto extends EnrollDto {
  @ApiProperty({ example: '123456', description: 'The first 6-digit code the authenticator app shows for the new secret' })
  @IsString({ message: 'code must be 6 digits' })
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;

  @ApiPropertyOptional({ enum: ['token', 'cookie'], default: 'token', description: SESSION_DOC })
  @IsOptional()
  @IsIn(['token', 'cookie'], { message: 'session must be token or cookie' })
  session?: 'token' | 'cookie';
}

/** The first step's answer: the next step, and the token it needs. */
export class MfaChallengeResponse {
  @ApiProperty({
    enum: ['mfa', 'enroll-two-factor'],
    description:
      'mfa: send a security code (or a recovery code) with mfaToken to POST /auth/mfa. enroll-two-factor: the account has no second factor yet ' +
      '(new, or reset by the help desk): POST /auth/mfa/enroll, then /auth/mfa/enroll/confirm, with enrollmentToken.',
    example: 'mfa',
  })
  next!: 'mfa' | 'enroll-two-factor';

  @ApiPropertyOptional({ description: 'With next = mfa', example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIyZDljNmI1YSJ9.c2lnbmF0dXJl' })
  mfaToken?: string;

  @ApiPropertyOptional({ description: 'With next = enroll-two-factor', example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIyZDljNmI1YSJ9.c2lnbmF0dXJl' })
  enrollmentToken?: string;
}
