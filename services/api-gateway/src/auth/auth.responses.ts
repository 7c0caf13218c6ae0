// Documentation only: the answer of POST /auth/mfa (auth.service.ts completeMfa).
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { MeResponse } from '../me/me.responses';

@ApiSchema({ name: 'SessionResponse' })
export class SessionResponse {
  @ApiPropertyOptional({
    description: 'session=token (the default) only: send it as Authorization: Bearer <accessToken>. With session=cookie it is set as the httpOnly am_session cookie instead.',
    example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIyZDljNmI1YSJ9.c2lnbmF0dXJl',
  })
  accessToken?: string;

  @ApiProperty({ format: 'date-time', description: 'When the session ends', example: '2026-03-02T14:20:09.123Z' }) expiresAt!: string;

  @ApiProperty({ description: 'With the session cookie, every POST/PUT/DELETE sends it in X-CSRF-Token (also in the readable am_csrf cookie)', example: 'q3Zk1yVb0Jm6ZrPj8y0xG2cQm4n5r6s7t8u9v0w1x2y' })
  csrfToken!: string;

  @ApiProperty({ type: () => MeResponse, description: 'The signed-in user, as GET /me answers' }) user!: MeResponse;

  @ApiPropertyOptional({ minimum: 0, description: 'Only when a recovery code was used: how many unused recovery codes are left', example: 9 })
  recoveryCodesRemaining?: number;
}

@ApiSchema({ name: 'TwoFactorSecret' })
export class TwoFactorSecretResponse {
  @ApiProperty({ description: 'The TOTP secret in base32, for typing into an authenticator app. Shown in this answer only.', example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' })
  secret!: string;

  @ApiProperty({
    description: 'The otpauth URI an authenticator app reads (RFC 6238 TOTP: SHA-1, 6 digits, 30 s)',
    example: 'otpauth://totp/Access%20Manager:jane.doe?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&period=30&digits=6&algorithm=SHA1&issuer=Access%20Manager',
  })
  otpauthUri!: string;

  @ApiProperty({ description: 'The otpauth URI as a QR code: a PNG data URL for an <img src>', example: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA...' })
  qrCode!: string;

  @ApiProperty({ description: 'What the authenticator app shows the account as', example: 'Access Manager' }) issuer!: string;
  @ApiProperty({ example: 'jane.doe' }) accountName!: string;
}

@ApiSchema({ name: 'EnrolledSessionResponse' })
export class EnrolledSessionResponse extends SessionResponse {
  @ApiProperty({
    type: [String],
    minItems: 10,
    maxItems: 10,
    description: 'Ten recovery codes, shown in this answer only (stored hashed): each replaces a security code once, at POST /auth/mfa as recoveryCode',
    example: ['7K3M-Q9XD-2HVT-B6RA', 'M2PZ-8W4C-JQ1N-VX5E'],
  })
  recoveryCodes!: string[];
}
