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
}
