import type { AuthenticatedPrincipal, ProvenCommand } from './messages';

/**
 * What an API key may do (issue 6). Reads act with the authority of the help desk user who created
 * the key; `requests:submit` submits a role request on behalf of the user named in X-On-Behalf-Of.
 */
export const API_KEY_SCOPES = ['organizations:read', 'requests:read', 'requests:submit', 'webhooks:manage'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface CreateApiKeyCommand extends ProvenCommand {
  createdById: string;
  name: string;
  scopes: ApiKeyScope[];
  rateLimitPerMinute: number;
}

export interface ApiKeyView {
  id: string;
  name: string;
  /** The key's public part ("am_1a2b3c4d"): enough to recognise it, useless to call with. */
  prefix: string;
  scopes: ApiKeyScope[];
  rateLimitPerMinute: number;
  createdBy: { id: string; displayName: string };
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Answered once, at creation: the only time the whole key is ever shown. */
export interface CreatedApiKey extends ApiKeyView {
  key: string;
}

export interface ApiKeyRef {
  id: string;
  /** For a revocation (a change): the gateway's caller proof; reads carry none. */
  proof?: string;
  /** Who asks: only the help desk lists and revokes keys. */
  viewerId: string;
}

export interface VerifyApiKeyRequest {
  key: string;
  /** A user id or login id, for `requests:submit` on behalf of that user. */
  onBehalfOf?: string;
}

export interface VerifiedApiKey {
  keyId: string;
  name: string;
  scopes: ApiKeyScope[];
  rateLimitPerMinute: number;
  /** Whom the call acts as: the user named by onBehalfOf, else the help desk user who created the key. */
  actingAs: AuthenticatedPrincipal;
}
