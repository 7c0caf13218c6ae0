import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS, type SessionRequest, type VerifyPasswordRequest, type VerifySecondFactorRequest } from '@am/contracts';
import { AuthService } from './auth.service';

@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @MessagePattern(DIRECTORY_PATTERNS.verifyPassword)
  verifyPassword(@Payload() req: VerifyPasswordRequest) {
    return this.auth.verifyPassword(req);
  }

  @MessagePattern(DIRECTORY_PATTERNS.verifySecondFactor)
  verifySecondFactor(@Payload() req: VerifySecondFactorRequest) {
    return this.auth.verifySecondFactor(req);
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
