import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  DIRECTORY_PATTERNS,
  type ConfirmEnrollmentCommand,
  type SessionRequest,
  type IssueTotpSecretCommand,
  type VerifyPasswordRequest,
  type VerifySecondFactorRequest,
} from '@am/contracts';
import { AuthService } from './auth.service';
import { TwoFactorService } from './two-factor.service';

@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly twoFactor: TwoFactorService,
  ) {}

  @MessagePattern(DIRECTORY_PATTERNS.verifyPassword)
  verifyPassword(@Payload() req: VerifyPasswordRequest) {
    return this.auth.verifyPassword(req);
  }

  @MessagePattern(DIRECTORY_PATTERNS.verifySecondFactor)
  verifySecondFactor(@Payload() req: VerifySecondFactorRequest) {
    return this.auth.verifySecondFactor(req);
  }

  @MessagePattern(DIRECTORY_PATTERNS.issueTotpSecret)
  issueTotpSecret(@Payload() req: IssueTotpSecretCommand) {
    return this.twoFactor.issueSecret(req);
  }

  @MessagePattern(DIRECTORY_PATTERNS.confirmTotpEnrollment)
  confirmTotpEnrollment(@Payload() cmd: ConfirmEnrollmentCommand) {
    return this.twoFactor.confirm(cmd);
  }

  @MessagePattern(DIRECTORY_PATTERNS.checkSession)
  checkSession(@Payload() req: SessionRequest) {
    return this.auth.checkSession(req.sessionId);
  }

  @MessagePattern(DIRECTORY_PATTERNS.signOut)
  async signOut(@Payload() req: SessionRequest) {
    await this.auth.signOut(req.sessionId);
    return { signedOut: true };
  }
}
