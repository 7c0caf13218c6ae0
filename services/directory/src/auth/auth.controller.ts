import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS } from '@am/contracts';
import { directoryPayloads, parsePayload } from '@am/service-kit';
import { AuthService } from './auth.service';
import { TwoFactorService } from './two-factor.service';

@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly twoFactor: TwoFactorService,
  ) {}

  @MessagePattern(DIRECTORY_PATTERNS.verifyPassword)
  verifyPassword(@Payload() payload: unknown) {
    return this.auth.verifyPassword(parsePayload(directoryPayloads.verifyPassword, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.verifySecondFactor)
  verifySecondFactor(@Payload() payload: unknown) {
    return this.auth.verifySecondFactor(parsePayload(directoryPayloads.verifySecondFactor, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.issueTotpSecret)
  issueTotpSecret(@Payload() payload: unknown) {
    return this.twoFactor.issueSecret(parsePayload(directoryPayloads.issueTotpSecret, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.confirmTotpEnrollment)
  confirmTotpEnrollment(@Payload() payload: unknown) {
    return this.twoFactor.confirm(parsePayload(directoryPayloads.confirmTotpEnrollment, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.checkSession)
  checkSession(@Payload() payload: unknown) {
    return this.auth.checkSession(parsePayload(directoryPayloads.checkSession, payload).sessionId);
  }

  @MessagePattern(DIRECTORY_PATTERNS.signOut)
  async signOut(@Payload() payload: unknown) {
    await this.auth.signOut(parsePayload(directoryPayloads.signOut, payload).sessionId);
    return { signedOut: true };
  }
}
