import { z } from 'zod';
import {
  API_KEY_SCOPES,
  COVERAGE_STATES,
  ORGANIZATION_KINDS,
  USER_ID_PATTERN,
  USER_ID_RULE,
  type AccountAdminCommand,
  type AccountRef,
  type AccountTokenCommand,
  type ApiKeyRef,
  type AuditCursor,
  type CalendarFeedCommand,
  type AuditQuery,
  type CoverageQuery,
  type ConfirmEnrollmentCommand,
  type CreateApiKeyCommand,
  type DIRECTORY_PATTERNS,
  type ForgotPasswordCommand,
  type ForgotUserIdCommand,
  type IdempotencyBeginRequest,
  type IdempotencyFinishRequest,
  type IdempotencyRef,
  type IssueTotpSecretCommand,
  type ManageAccessQuery,
  type OrganizationQuery,
  type OrganizationUsersQuery,
  type RegisterAccountCommand,
  type ResetPasswordCommand,
  type SearchOrganizationsQuery,
  type SessionRequest,
  type UpdateRegistrationCommand,
  type UserIdRequest,
  type VerifyApiKeyRequest,
  type VerifyPasswordRequest,
  type ResolveCalendarFeedRequest,
  type VerifySecondFactorRequest,
} from '@am/contracts';
import { createWebhookCommand, listWebhookDeliveriesQuery, listWebhooksQuery, redeliverWebhookCommand, updateWebhookCommand, webhookCommand, webhookRead } from './webhooks';
import {
  callerProof,
  email,
  HEADER_MAX,
  isoDate,
  isoDateTime,
  linkToken,
  loginId,
  messageSchema,
  page,
  pageSize,
  password,
  totpCode,
  ttlSeconds,
  userRef,
  uuid,
} from './fields';
import { getNominationQuery, myNominationsQuery } from './nominations';
import { getAccessReviewQuery, listAccessReviewCampaignsQuery, myAccessReviewsQuery } from './access-reviews';
import { getRoleRequestQuery } from './role-requests';
import { getEmailPreferencesQuery, updateEmailPreferencesCommand } from './email-preferences';

// Sign-in (the gateway's SignInDto, MfaDto, ConfirmEnrollmentDto; the one-time token's id is its jti, a uuid).

const verifyPassword = messageSchema<VerifyPasswordRequest>()({
  loginId: loginId(),
  password: z.string().min(1).max(200),
  statementOfTruthVersion: z.string().min(1).max(50),
});

const verifySecondFactor = messageSchema<VerifySecondFactorRequest>()({
  userId: uuid(),
  tokenId: uuid(),
  tokenExpiresAt: isoDateTime(),
  proof: callerProof(),
  code: totpCode().optional(),
  recoveryCode: z.string().min(16).max(40).optional(),
  sessionTtlSeconds: ttlSeconds(),
}).refine((m) => (m.code === undefined) !== (m.recoveryCode === undefined), { message: 'send either code or recoveryCode', path: ['code'] });

const issueTotpSecret = messageSchema<IssueTotpSecretCommand>()({
  userId: uuid(),
  tokenId: uuid(),
  proof: callerProof(),
});

const confirmTotpEnrollment = messageSchema<ConfirmEnrollmentCommand>()({
  userId: uuid(),
  tokenId: uuid(),
  tokenExpiresAt: isoDateTime(),
  proof: callerProof(),
  code: totpCode(),
  sessionTtlSeconds: ttlSeconds(),
});

/** A session id: the directory made it (a uuid), the gateway's signed token carries it. */
const session = messageSchema<SessionRequest>()({ sessionId: uuid() });

// Accounts (the gateway's RegisterDto, TokenDto, ResetPasswordDto, ForgotUserIdDto, ForgotPasswordDto, ReasonDto).

const register = messageSchema<RegisterAccountCommand>()({
  loginId: z.string().regex(USER_ID_PATTERN, USER_ID_RULE),
  displayName: z.string().min(1).max(100),
  email: email(),
  password: password(),
});

const accountToken = messageSchema<AccountTokenCommand>()({ token: linkToken() });

const forgotUserId = messageSchema<ForgotUserIdCommand>()({ email: email() });

const forgotPassword = messageSchema<ForgotPasswordCommand>()({ loginId: loginId() });

const resetPassword = messageSchema<ResetPasswordCommand>()({ token: linkToken(), password: password() });

const accountRef = messageSchema<AccountRef>()({ viewerId: uuid(), user: userRef() });

/** The gateway trims the reason after checking it is 3 to 500 characters with one that is not a space. */
const accountAdmin = messageSchema<AccountAdminCommand>()({
  actorId: uuid(),
  user: userRef(),
  reason: z.string().min(1).max(500),
  proof: callerProof(),
});

// Idempotency (the gateway's IdempotencyInterceptor).

const idempotencyRef = {
  /** The caller: a user id, `api-key:<key id>:<user id>`, or `anonymous`. */
  principal: z.string().min(1).max(200),
  /** The Idempotency-Key header, as the gateway checks it. */
  key: z.string().regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters'),
};

const idempotencyBegin = messageSchema<IdempotencyBeginRequest>()({
  ...idempotencyRef,
  method: z.string().regex(/^[A-Z]{1,16}$/, 'must be an HTTP method'),
  path: z.string().min(1).max(HEADER_MAX),
  requestHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex'),
});

const idempotencyFinish = messageSchema<IdempotencyFinishRequest>()({
  ...idempotencyRef,
  statusCode: z.int().min(100).max(599),
  /** The answer to replay: whatever JSON the route answered. */
  response: z.unknown(),
});

const idempotencyAbandon = messageSchema<IdempotencyRef>()(idempotencyRef);

// API keys (the gateway's CreateApiKeyDto and ApiKeyIdParams; X-Api-Key and X-On-Behalf-Of headers).

const createApiKey = messageSchema<CreateApiKeyCommand>()({
  createdById: uuid(),
  name: z.string().min(1).max(100),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).max(API_KEY_SCOPES.length),
  rateLimitPerMinute: z.int().min(1).max(10_000),
  proof: callerProof(),
});

const listApiKeys = messageSchema<{ viewerId: string }>()({ viewerId: uuid() });

/** A revocation carries the gateway's proof (the type allows none, for reads: the verifier refuses a revocation without one). */
const revokeApiKey = messageSchema<ApiKeyRef>()({ id: uuid(), viewerId: uuid(), proof: callerProof() });

/**
 * The headers as the gateway received them: the key's format is the directory's to check (a
 * malformed key is UNAUTHENTICATED, like a wrong one), and an empty X-On-Behalf-Of means none.
 */
const verifyApiKey = messageSchema<VerifyApiKeyRequest>()({
  key: z.string().max(HEADER_MAX),
  onBehalfOf: z.string().max(HEADER_MAX).optional(),
});

// Users, organizations, manage access, audit (the gateway's PageQueryDto, SearchOrganizationsDto,
// ManageAccessQueryDto, OrgIdParams, RegistrationDto, AuditQueryDto).

const getMe = messageSchema<UserIdRequest>()({ userId: uuid() });

const manageAccess = messageSchema<ManageAccessQuery>()({
  userId: uuid(),
  name: z.string().max(200).optional(),
  page: page(),
  pageSize: pageSize(),
});

const searchOrganizations = messageSchema<SearchOrganizationsQuery>()({
  q: z.string().max(200).optional(),
  type: z.enum(ORGANIZATION_KINDS).optional(),
  viewerId: uuid(),
  page: page(),
  pageSize: pageSize(),
});

const getOrganization = messageSchema<OrganizationQuery>()({ organizationId: uuid(), viewerId: uuid() });

const organizationUsers = messageSchema<OrganizationUsersQuery>()({ organizationId: uuid(), viewerId: uuid(), page: page(), pageSize: pageSize() });
/** The gateway's CoverageQueryDto (issue 18). */
const coverage = messageSchema<CoverageQuery>()({ viewerId: uuid(), state: z.enum(COVERAGE_STATES).optional(), page: page(), pageSize: pageSize() });

const updateRegistration = messageSchema<UpdateRegistrationCommand>()({
  organizationId: uuid(),
  userId: uuid(),
  cmsWebInterface: z.boolean(),
  cahpsSurvey: z.boolean(),
  proof: callerProof(),
});

/** The last event of the page before: its time, and its id (a bigint, in decimal). */
const auditCursor = messageSchema<AuditCursor>()({ occurredAt: isoDateTime(), id: z.string().regex(/^\d{1,19}$/, 'must be an audit event id') });

const listAudit = messageSchema<AuditQuery>()({
  viewerId: uuid(),
  organizationId: uuid().optional(),
  from: isoDate().optional(),
  to: isoDate().optional(),
  after: auditCursor.optional(),
  page: page(),
  pageSize: pageSize(),
});

// The calendar feed (issue 19): the caller's own token, shown or rotated with a proof; the public
// feed's token as the URL carried it (its format is the directory's to check: a malformed one is
// NOT_FOUND, like an unknown one).

const calendarFeed = messageSchema<CalendarFeedCommand>()({ userId: uuid(), proof: callerProof() });

const resolveCalendarFeed = messageSchema<ResolveCalendarFeedRequest>()({ token: z.string().max(200) });

type DirectoryPattern = Exclude<keyof typeof DIRECTORY_PATTERNS, 'health'>;

/**
 * The schema of every message the directory serves, by its key in DIRECTORY_PATTERNS (health takes
 * no payload). A pattern added without a schema fails to compile here.
 */
export const directoryPayloads = {
  verifyPassword,
  verifySecondFactor,
  checkSession: session,
  signOut: session,
  issueTotpSecret,
  confirmTotpEnrollment,
  register,
  verifyEmail: accountToken,
  forgotUserId,
  forgotPassword,
  resetPassword,
  getAccount: accountRef,
  disableAccount: accountAdmin,
  enableAccount: accountAdmin,
  resetTwoFactor: accountAdmin,
  idempotencyBegin,
  idempotencyFinish,
  idempotencyAbandon,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  verifyApiKey,
  getMe,
  getEmailPreferences: getEmailPreferencesQuery,
  updateEmailPreferences: updateEmailPreferencesCommand,
  getRoleRequest: getRoleRequestQuery,
  getNomination: getNominationQuery,
  myNominations: myNominationsQuery,
  getAccessReview: getAccessReviewQuery,
  listAccessReviewCampaigns: listAccessReviewCampaignsQuery,
  myAccessReviews: myAccessReviewsQuery,
  manageAccess,
  searchOrganizations,
  getOrganization,
  organizationUsers,
  coverage,
  updateRegistration,
  listAudit,
  showCalendarFeed: calendarFeed,
  rotateCalendarFeed: calendarFeed,
  resolveCalendarFeed,
  createWebhook: createWebhookCommand,
  listWebhooks: listWebhooksQuery,
  getWebhook: webhookRead,
  updateWebhook: updateWebhookCommand,
  deleteWebhook: webhookCommand,
  rotateWebhookSecret: webhookCommand,
  listWebhookDeliveries: listWebhookDeliveriesQuery,
  redeliverWebhook: redeliverWebhookCommand,
  testWebhook: webhookCommand,
} satisfies Record<DirectoryPattern, z.ZodType>;
