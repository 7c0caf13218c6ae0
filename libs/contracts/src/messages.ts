import type { Decision, DenyReasonCode, OrgRole, PlatformRole, RoleRequestView } from './domain';
import type { ErrorBody } from './errors';

export interface VerifyPasswordRequest {
  loginId: string;
  password: string;
  statementOfTruthVersion: string;
}
/** The outcome of the first factor; `userId` is only meaningful when `ok`. */
export interface VerifyPasswordResult {
  ok: boolean;
  userId?: string;
  /** False when the account must enroll a second factor before it can finish signing in. */
  twoFactorEnrolled?: boolean;
}

/**
 * Every command that acts for a person carries the gateway's caller proof (issue 14): the service
 * that changes state verifies it, and takes the actor from it.
 */
export interface ProvenCommand {
  proof: string;
}

/** A sign-in step the gateway admitted with a one-time token: its id is spent when the step succeeds. */
export interface OneTimeTokenStep extends ProvenCommand {
  tokenId: string;
  tokenExpiresAt: string;
}

export interface VerifySecondFactorRequest extends OneTimeTokenStep {
  userId: string;
  /** The 6-digit TOTP code; or, instead, one of the account's recovery codes. */
  code?: string;
  recoveryCode?: string;
  /** How long the session opened by this sign-in lasts. */
  sessionTtlSeconds: number;
}
export interface AuthenticatedPrincipal {
  userId: string;
  loginId: string;
  displayName: string;
  platformRole: PlatformRole | null;
}

/** A completed sign-in: who, and the session the gateway's token names. */
export interface SignedInSession extends AuthenticatedPrincipal {
  sessionId: string;
  expiresAt: string;
  /** Set when a recovery code was used: how many unused ones are left. */
  recoveryCodesRemaining?: number;
}

export interface SessionRequest {
  sessionId: string;
}

export interface UserIdRequest {
  userId: string;
}

export interface CreateRoleRequestCommand extends ProvenCommand {
  requesterId: string;
  organizationId: string;
  role: OrgRole;
  justification?: string;
  /**
   * Names the request (and its workflow). The gateway derives it from the caller's Idempotency-Key,
   * so a retry of a submission whose answer was lost names the same request and gets it, however
   * far the first attempt went; without a key a new id is chosen.
   */
  submissionId?: string;
}

export interface GetRoleRequestQuery {
  requestId: string;
  viewerId: string;
}

export interface DecideCommand extends ProvenCommand {
  requestId: string;
  deciderId: string;
  decision: Decision;
  reason?: string;
  /** Denials: why (issue 17); OTHER when not given. */
  reasonCode?: DenyReasonCode;
  /**
   * The gateway's id for this call, derived from the caller's Idempotency-Key: every retry of one
   * decision sends the same Update id, so Temporal answers a retry with the first attempt's outcome
   * and does the work once, however far the first attempt went.
   */
  callId?: string;
}

export interface WithdrawCommand extends ProvenCommand {
  requestId: string;
  requesterId: string;
}

/** Undo of a denial inside its undo window (issue 17), by any approver of the request. */
export interface UndoCommand extends ProvenCommand {
  requestId: string;
  actorId: string;
}

/**
 * Many decisions of one decider at once (issue 17): each item decided exactly as if alone, with
 * its own caller proof (the gateway mints one per request).
 */
export interface DecideManyCommand {
  deciderId: string;
  decision: Decision;
  reason?: string;
  reasonCode?: DenyReasonCode;
  items: { requestId: string; proof: string }[];
}

/** One item of a bulk decision: the decided request, or the error it alone failed with. */
export type DecisionResult = { requestId: string; request: RoleRequestView } | { requestId: string; error: ErrorBody };

/** One POST sent with an Idempotency-Key, as the gateway saw it. */
export interface IdempotencyRef {
  /** Whose key: the user id or API key id; keys of different callers never meet. */
  principal: string;
  key: string;
}
export interface IdempotencyBeginRequest extends IdempotencyRef {
  method: string;
  path: string;
  /** sha256 of the request body: the same key with another request is refused. */
  requestHash: string;
}
export type IdempotencyBeginResult =
  | { state: 'started' }
  | { state: 'in-progress' }
  | { state: 'completed'; statusCode: number; response: unknown };
export interface IdempotencyFinishRequest extends IdempotencyRef {
  statusCode: number;
  response: unknown;
}

export interface HealthReport {
  service: string;
  status: 'ok' | 'error';
  checks: Record<string, 'ok' | string>;
}

/** Keyset page over pending requests, oldest id first. */
