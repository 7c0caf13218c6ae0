import { Inject, Injectable } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import type { ClientProxy } from '@nestjs/microservices';
import {
  DIRECTORY_CLIENT,
  DIRECTORY_PATTERNS,
  DomainError,
  ERROR_CODES,
  STATEMENT_OF_TRUTH,
  type MeView,
  type SignedInSession,
  type VerifyPasswordResult,
} from '@am/contracts';
import { call } from '@am/service-kit';
import type { MfaDto, SignInDto } from './auth.dto';
import { csrfTokenFor } from './cookies';
import { TokensService } from './tokens.service';

@Injectable()
export class AuthService {
  constructor(
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly tokens: TokensService,
  ) {}

  async signIn(dto: SignInDto): Promise<{ mfaToken: string }> {
    const result = await call<VerifyPasswordResult>(this.directory, DIRECTORY_PATTERNS.verifyPassword, {
      loginId: dto.userId,
      password: dto.password,
      statementOfTruthVersion: STATEMENT_OF_TRUTH.version,
    });
    // One answer for an unknown user id and a wrong password (rule 12).
    if (!result.ok || !result.userId) throw new DomainError(ERROR_CODES.UNAUTHENTICATED, 'The user id or password is not correct');
    return { mfaToken: await this.tokens.issueMfaToken(result.userId) };
  }

  async completeMfa(dto: MfaDto): Promise<{ accessToken: string; expiresAt: string; csrfToken: string; user: MeView }> {
    const userId = await this.tokens.verifyMfaToken(dto.mfaToken);
    const signedIn = await call<SignedInSession>(this.directory, DIRECTORY_PATTERNS.verifySecondFactor, {
      userId,
      code: dto.code,
      sessionTtlSeconds: this.config.ACCESS_TOKEN_TTL_SECONDS,
    });
    const session = await this.tokens.issueAccessToken(signedIn);
    const user = await call<MeView>(this.directory, DIRECTORY_PATTERNS.getMe, { userId });
    return { ...session, csrfToken: csrfTokenFor(signedIn.sessionId, this.config.AUTH_TOKEN_SECRET), user };
  }

  async signOut(sessionId: string): Promise<void> {
    await call(this.directory, DIRECTORY_PATTERNS.signOut, { sessionId });
  }
}
