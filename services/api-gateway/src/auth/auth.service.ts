import { Inject, Injectable } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { toDataURL } from 'qrcode';
import {
  DIRECTORY_CLIENT,
  DIRECTORY_PATTERNS,
  DomainError,
  ERROR_CODES,
  STATEMENT_OF_TRUTH,
  type EnrolledSession,
  type IssuedTotpSecret,
  type MeView,
  type SignedInSession,
  type VerifyPasswordResult,
} from '@am/contracts';
import { call } from '@am/service-kit';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import type { ConfirmEnrollmentDto, MfaDto, SignInDto } from './auth.dto';
import { CallerProofs } from './caller-proofs.service';
import { csrfTokenFor } from './cookies';
import { SessionChecks } from './session-checks.service';
import { TokensService } from './tokens.service';

export type SignInStep = { next: 'mfa'; mfaToken: string } | { next: 'enroll-two-factor'; enrollmentToken: string };

export interface CompletedSignIn {
  accessToken: string;
  expiresAt: string;
  csrfToken: string;
  user: MeView;
  recoveryCodesRemaining?: number;
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly tokens: TokensService,
    private readonly proofs: CallerProofs,
    private readonly sessions: SessionChecks,
  ) {}

  async signIn(dto: SignInDto): Promise<SignInStep> {
    const result = await call<VerifyPasswordResult>(this.directory, DIRECTORY_PATTERNS.verifyPassword, {
      loginId: dto.userId,
      password: dto.password,
      statementOfTruthVersion: STATEMENT_OF_TRUTH.version,
    });
    // One answer for an unknown user id and a wrong password (rule 12).
    if (!result.ok || !result.userId) throw new DomainError(ERROR_CODES.UNAUTHENTICATED, 'The user id or password is not correct');
    if (result.twoFactorEnrolled === false) return { next: 'enroll-two-factor', enrollmentToken: await this.tokens.issueEnrollmentToken(result.userId) };
    return { next: 'mfa', mfaToken: await this.tokens.issueMfaToken(result.userId) };
  }

  async completeMfa(dto: MfaDto): Promise<CompletedSignIn> {
    if (dto.code !== undefined && dto.recoveryCode !== undefined) {
      throw new DomainError(ERROR_CODES.VALIDATION_FAILED, 'Send either code or recoveryCode, not both', 'recoveryCode');
    }
    const token = await this.tokens.verifyMfaToken(dto.mfaToken);
    const signedIn = await call<SignedInSession>(this.directory, DIRECTORY_PATTERNS.verifySecondFactor, {
      userId: token.userId,
      tokenId: token.tokenId,
      tokenExpiresAt: token.expiresAt,
      proof: await this.proofs.forSignInStep(token, 'auth.second-factor'),
      ...(dto.recoveryCode !== undefined ? { recoveryCode: dto.recoveryCode } : { code: dto.code }),
      sessionTtlSeconds: this.config.ACCESS_TOKEN_TTL_SECONDS,
    });
    const completed = await this.sessionOf(signedIn);
    return signedIn.recoveryCodesRemaining === undefined ? completed : { ...completed, recoveryCodesRemaining: signedIn.recoveryCodesRemaining };
  }

  /** A new TOTP secret for the account of the enrollment token, with its otpauth URI as a QR code. */
  async enroll(enrollmentToken: string): Promise<IssuedTotpSecret & { qrCode: string }> {
    const token = await this.tokens.verifyEnrollmentToken(enrollmentToken);
    const issued = await call<IssuedTotpSecret>(this.directory, DIRECTORY_PATTERNS.issueTotpSecret, {
      userId: token.userId,
      tokenId: token.tokenId,
      proof: await this.proofs.forSignInStep(token, 'auth.enroll'),
    });
    return { ...issued, qrCode: await toDataURL(issued.otpauthUri, { errorCorrectionLevel: 'M', margin: 2, width: 240 }) };
  }

  /** The first valid code confirms the secret: the recovery codes (shown once) and a session. */
  async confirmEnrollment(dto: ConfirmEnrollmentDto): Promise<CompletedSignIn & { recoveryCodes: string[] }> {
    const token = await this.tokens.verifyEnrollmentToken(dto.enrollmentToken);
    const { recoveryCodes, ...signedIn } = await call<EnrolledSession>(this.directory, DIRECTORY_PATTERNS.confirmTotpEnrollment, {
      userId: token.userId,
      tokenId: token.tokenId,
      tokenExpiresAt: token.expiresAt,
      proof: await this.proofs.forSignInStep(token, 'auth.enroll'),
      code: dto.code,
      sessionTtlSeconds: this.config.ACCESS_TOKEN_TTL_SECONDS,
    });
    return { ...(await this.sessionOf(signedIn)), recoveryCodes };
  }

  /** Ends the session in the directory; this instance refuses it from now on, every other within SESSION_CACHE_TTL_MS. */
  async signOut(sessionId: string): Promise<void> {
    await call(this.directory, DIRECTORY_PATTERNS.signOut, { sessionId });
    this.sessions.forget(sessionId);
  }

  private async sessionOf(signedIn: SignedInSession): Promise<CompletedSignIn> {
    const session = await this.tokens.issueAccessToken(signedIn);
    const user = await call<MeView>(this.directory, DIRECTORY_PATTERNS.getMe, { userId: signedIn.userId });
    return { ...session, csrfToken: csrfTokenFor(signedIn.sessionId, this.config.AUTH_TOKEN_SECRET), user };
  }
}
