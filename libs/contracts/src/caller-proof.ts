/**
 * What a caller proof lets its bearer do (issue 14, PRODUCT.md section 8). The gateway mints a proof
 * after it has checked the session (or API key), bound to one action on one target; the service
 * that changes state verifies it and takes the actor from it, never from a bare id in a message.
 */
export const CALLER_PROOF_ACTIONS = [
  'role-request.submit',
  'role-request.approve',
  'role-request.deny',
  'role-request.withdraw',
  'role-request.undo',
  'nomination.create',
  'nomination.respond',
  'access.remove',
  'access-review.start',
  'access-review.decide',
  'organization.update-registration',
  'preferences.update',
  'account.disable',
  'account.enable',
  'account.reset-two-factor',
  'api-key.create',
  'api-key.revoke',
  'auth.second-factor',
  'auth.enroll',
  'calendar-feed.show',
  'calendar-feed.rotate',
  'webhook.create',
  'webhook.update',
  'webhook.delete',
  'webhook.rotate-secret',
  'webhook.redeliver',
  'webhook.test',
] as const;
export type CallerProofAction = (typeof CALLER_PROOF_ACTIONS)[number];

/** The target each action is bound to, spelled one way by the gateway and the services alike. */
export const proofTarget = {
  /** A submission: the organization and the role asked for (the requester is the proof's subject). */
  submit: (organizationId: string, role: string) => `organization:${organizationId}/role:${role}`,
  request: (requestId: string) => `role-request:${requestId}`,
  removal: (organizationId: string, userId: string) => `organization:${organizationId}/user:${userId}`,
  organization: (organizationId: string) => `organization:${organizationId}`,
  /** A nomination of a backup Security Official at the organization (issue 18); the nominator is the proof's subject. */
  nominations: (organizationId: string) => `organization:${organizationId}/nominations`,
  /** The nominee's answer to one nomination. */
  nomination: (nominationId: string) => `nomination:${nominationId}`,
  /** A campaign of access reviews (issue 18), started by the help desk. */
  accessReviews: () => 'access-reviews',
  /** Decisions on one organization's access review. */
  accessReview: (reviewId: string) => `access-review:${reviewId}`,
  /** The account as the help desk named it (its id or login id). */
  account: (user: string) => `account:${user}`,
  /** The caller's own email preferences (issue 19): the proof's subject is the user. */
  preferences: (userId: string) => `user:${userId}/preferences`,
  apiKeys: () => 'api-keys',
  apiKey: (keyId: string) => `api-key:${keyId}`,
  /** The caller's own calendar feed token (issue 19): shown (issued on first use) or rotated. */
  calendarFeed: () => 'calendar-feed',
  /** Outbound webhooks (issue 20): registering one, and one subscription's changes, redeliveries and pings. */
  webhooks: () => 'webhooks',
  webhook: (webhookId: string) => `webhook:${webhookId}`,
  /** A sign-in step: the one-time token (its id) that the gateway verified for this user. */
  signInToken: (tokenId: string) => `sign-in-token:${tokenId}`,
};

/** What a verified proof says: who acts, what for, and through which session or API key. */
export interface CallerProofClaims {
  actorId: string;
  action: CallerProofAction;
  target: string;
  /** The session id, or `api-key:<id>` for a system acting on behalf of the actor. */
  via: string;
  /** The proof's own id (a sign-in step's one-time token id, for auth.* actions). */
  proofId: string;
  expiresAt: string;
}
