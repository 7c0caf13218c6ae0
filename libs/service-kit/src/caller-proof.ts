import { randomUUID } from 'node:crypto';
import { Logger, type Provider } from '@nestjs/common';
import { createLocalJWKSet, importJWK, jwtVerify, SignJWT, type JWK, type JWTVerifyGetKey, type KeyLike } from 'jose';
import { z } from 'zod';
import { CALLER_PROOF_ACTIONS, DomainError, ERROR_CODES, type CallerProofAction, type CallerProofClaims } from '@am/contracts';

/**
 * Caller proofs (issue 14): short-lived EdDSA-signed JWTs that the gateway mints after it has
 * checked the caller, bound to one action on one target. Only the gateway holds the private key;
 * the services that change state hold the public keys and verify a proof before acting for a
 * person, so a process that reaches the internal transports or Temporal cannot act as anybody.
 */
const ISSUER = 'am-gateway';
const AUDIENCE = 'am-services';
const ALGORITHM = 'EdDSA';

const ed25519Fields = { kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string().min(43), kid: z.string().min(1) };

function parseJson(value: string, ctx: z.RefinementCtx): unknown {
  try {
    return JSON.parse(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be JSON' });
    return z.NEVER;
  }
}

/** Config shape: the public keys (a JWK Set of Ed25519 keys with ids) that verify proofs; several while a key is rotated. */
export const callerProofPublicKeys = () =>
  z
    .string({ error: 'is required: the JWK Set of the gateway’s caller-proof public keys (npm start generates one in .data/)' })
    .transform(parseJson)
    .pipe(
      z.object({
        keys: z
          .array(z.strictObject(ed25519Fields, { error: 'each key must be a public Ed25519 JWK with a kid, and no private part' }))
          .min(1, 'must hold at least one key'),
      }),
    );

/** Config shape: the gateway's private signing key, an Ed25519 JWK with its kid. */
export const callerProofSigningKey = () =>
  z
    .string({ error: 'is required: the gateway’s caller-proof private key as an Ed25519 JWK (npm start generates one in .data/)' })
    .transform(parseJson)
    .pipe(z.object({ ...ed25519Fields, d: z.string().min(43) }, { error: 'must be a private Ed25519 JWK with a kid' }));

export type CallerProofKeySet = z.infer<ReturnType<typeof callerProofPublicKeys>>;
export type CallerProofSigningJwk = z.infer<ReturnType<typeof callerProofSigningKey>>;

/** Who a proof is minted for: the person, and the session or API key the gateway checked. */
export interface ProofSubject {
  actorId: string;
  via: string;
}

/** Mints proofs: the gateway only. */
export class CallerProofSigner {
  private constructor(
    private readonly key: KeyLike | Uint8Array,
    private readonly kid: string,
    private readonly ttlSeconds: number,
  ) {}

  static async create(jwk: CallerProofSigningJwk, ttlSeconds: number): Promise<CallerProofSigner> {
    return new CallerProofSigner(await importJWK(jwk as JWK, ALGORITHM), jwk.kid, ttlSeconds);
  }

  mint(subject: ProofSubject, action: CallerProofAction, target: string, proofId: string = randomUUID()): Promise<string> {
    return new SignJWT({ act: action, tgt: target, via: subject.via })
      .setProtectedHeader({ alg: ALGORITHM, kid: this.kid })
      .setSubject(subject.actorId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setJti(proofId)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }
}

/** What a proof must say to be accepted for a command. */
export interface ProofExpectation {
  action: CallerProofAction | readonly CallerProofAction[];
  target: string;
  /** The actor the message names, when it names one: it must be the proof's subject. */
  actorId?: string;
  /**
   * When the command was accepted (ISO 8601; a workflow's Update, say): the proof must have been
   * valid then. A retried activity is thus not refused because its proof expired meanwhile.
   */
  acceptedAt?: string;
}

/** The verifier as a Nest provider, from a service's configuration (its CALLER_PROOF_PUBLIC_KEYS). */
export function callerProofVerifierProvider(configToken: symbol): Provider {
  return {
    provide: CallerProofVerifier,
    useFactory: (config: { CALLER_PROOF_PUBLIC_KEYS: CallerProofKeySet }) => new CallerProofVerifier(config.CALLER_PROOF_PUBLIC_KEYS),
    inject: [configToken],
  };
}

/** Verifies proofs: every service that acts for a person. Each refusal is logged, and answered 401. */
export class CallerProofVerifier {
  private readonly logger = new Logger('CallerProof');
  private readonly keys: JWTVerifyGetKey;

  constructor(keySet: CallerProofKeySet) {
    this.keys = createLocalJWKSet(keySet as { keys: JWK[] });
  }

  async verify(proof: unknown, expected: ProofExpectation): Promise<CallerProofClaims> {
    const actions: readonly CallerProofAction[] = typeof expected.action === 'string' ? [expected.action] : expected.action;
    const refuse = (reason: string): never => {
      this.logger.warn(`caller proof refused (${reason}): ${actions.join('|')} on ${expected.target}${expected.actorId ? ` as ${expected.actorId}` : ''}`);
      throw new DomainError(ERROR_CODES.UNAUTHENTICATED, 'This command carries no valid caller proof: only the gateway can act for a person');
    };
    if (typeof proof !== 'string' || proof.length === 0 || proof.length > 4096) return refuse('missing');
    const acceptedAt = expected.acceptedAt ? new Date(expected.acceptedAt) : undefined;
    const verified = await jwtVerify(proof, this.keys, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: [ALGORITHM],
      currentDate: acceptedAt && acceptedAt.getTime() <= Date.now() ? acceptedAt : undefined,
      clockTolerance: 5,
      requiredClaims: ['sub', 'jti', 'exp', 'iat'],
    }).catch((err: unknown) => refuse(err instanceof Error ? err.message : 'invalid'));
    const { sub, jti, exp, act, tgt, via } = verified.payload as { sub: string; jti: string; exp: number; act?: unknown; tgt?: unknown; via?: unknown };
    if (typeof act !== 'string' || !(CALLER_PROOF_ACTIONS as readonly string[]).includes(act) || !actions.includes(act as CallerProofAction)) {
      return refuse(`made for ${String(act)}`);
    }
    if (tgt !== expected.target) return refuse(`made for target ${String(tgt)}`);
    if (expected.actorId !== undefined && expected.actorId !== sub) return refuse(`made for actor ${sub}`);
    return { actorId: sub, action: act as CallerProofAction, target: tgt, via: typeof via === 'string' ? via : '', proofId: jti, expiresAt: new Date(exp * 1000).toISOString() };
  }
}
