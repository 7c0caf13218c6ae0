import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  DomainError,
  ERROR_CODES,
  proofTarget,
  type ApiKeyRef,
  type ApiKeyScope,
  type ApiKeyView,
  type CreateApiKeyCommand,
  type CreatedApiKey,
  type VerifiedApiKey,
  type VerifyApiKeyRequest,
} from '@am/contracts';
import { CallerProofVerifier } from '@am/service-kit';
import { AuditRepository } from '../audit/audit.repository';
import { ApiKeysRepository, type ApiKeyRow } from './api-keys.repository';

const KEY_FORMAT = /^(am_[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const INVALID = 'This API key is not valid (unknown, malformed or revoked)';

/**
 * API keys for other systems: created, listed and revoked by the help desk; only a SHA-256 of the
 * secret is stored (a 256-bit random secret needs no slow hash); the whole key is shown once.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly repo: ApiKeysRepository,
    private readonly audit: AuditRepository,
    private readonly proofs: CallerProofVerifier,
  ) {}

  async create(cmd: CreateApiKeyCommand): Promise<CreatedApiKey> {
    await this.proofs.verify(cmd.proof, { action: 'api-key.create', target: proofTarget.apiKeys(), actorId: cmd.createdById });
    await this.requireHelpDesk(cmd.createdById);
    const prefix = `am_${randomBytes(6).toString('hex')}`;
    const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
    const row = await this.repo.inTransaction(async (tx) => {
      const created = await this.repo.create(
        { name: cmd.name, prefix, secretHash: sha256(key), scopes: [...new Set(cmd.scopes)], rateLimitPerMinute: cmd.rateLimitPerMinute, createdById: cmd.createdById },
        tx,
      );
      await this.audit.append({ action: 'api-key.created', actorId: cmd.createdById, details: { keyId: created.id, name: created.name, prefix, scopes: created.scopes } }, tx);
      return created;
    });
    return { ...view(row), key };
  }

  async list(viewerId: string): Promise<ApiKeyView[]> {
    await this.requireHelpDesk(viewerId);
    return (await this.repo.list()).map(view);
  }

  async revoke(ref: ApiKeyRef): Promise<ApiKeyView> {
    await this.proofs.verify(ref.proof, { action: 'api-key.revoke', target: proofTarget.apiKey(ref.id), actorId: ref.viewerId });
    await this.requireHelpDesk(ref.viewerId);
    const row = await this.repo.findById(ref.id);
    if (!row) throw new DomainError(ERROR_CODES.NOT_FOUND, 'No API key has this id', 'id');
    await this.repo.inTransaction(async (tx) => {
      // Revoked once: a second revocation changes and audits nothing.
      if (await this.repo.revoke(row.id, tx)) {
        await this.audit.append({ action: 'api-key.revoked', actorId: ref.viewerId, details: { keyId: row.id, name: row.name, prefix: row.prefix } }, tx);
      }
    });
    return view((await this.repo.findById(row.id))!);
  }

  async verify(req: VerifyApiKeyRequest): Promise<VerifiedApiKey> {
    const match = KEY_FORMAT.exec(req.key);
    const row = match ? await this.repo.findByPrefix(match[1]) : null;
    // A key acts with its creator's authority: it stops with that authority (no longer help desk, or disabled).
    if (!row || !sameHash(row.secretHash, sha256(req.key)) || row.revokedAt || row.createdBy.platformRole !== 'HELP_DESK' || row.createdBy.disabledAt) {
      throw new DomainError(ERROR_CODES.UNAUTHENTICATED, INVALID);
    }
    const actingUser = req.onBehalfOf ? await this.repo.findUser(req.onBehalfOf) : await this.repo.findUser(row.createdById);
    if (!actingUser) throw new DomainError(ERROR_CODES.VALIDATION_FAILED, 'X-On-Behalf-Of names no user (give a user id or login id)', 'X-On-Behalf-Of');
    // A key acts for no account that could not act itself (issue 14).
    if (actingUser.disabledAt) throw new DomainError(ERROR_CODES.ACCOUNT_DISABLED, 'X-On-Behalf-Of names a disabled account: it cannot act, nor can a key for it', 'X-On-Behalf-Of');
    if (!actingUser.emailVerifiedAt) {
      throw new DomainError(ERROR_CODES.EMAIL_NOT_VERIFIED, 'X-On-Behalf-Of names an account whose email address is not verified yet: it cannot act, nor can a key for it', 'X-On-Behalf-Of');
    }
    await this.repo.touch(row.id);
    return {
      keyId: row.id,
      name: row.name,
      scopes: row.scopes as ApiKeyScope[],
      rateLimitPerMinute: row.rateLimitPerMinute,
      actingAs: { userId: actingUser.id, loginId: actingUser.loginId, displayName: actingUser.displayName, platformRole: actingUser.platformRole },
    };
  }

  private async requireHelpDesk(userId: string): Promise<void> {
    const user = await this.repo.findUser(userId);
    if (user?.platformRole !== 'HELP_DESK') throw new DomainError(ERROR_CODES.FORBIDDEN, 'Only the help desk manages API keys');
  }
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function view(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as ApiKeyScope[],
    rateLimitPerMinute: row.rateLimitPerMinute,
    createdBy: { id: row.createdBy.id, displayName: row.createdBy.displayName },
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
