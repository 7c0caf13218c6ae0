// The only module that talks to the server: every call goes to the public API v1.
import type {
  AccessReviewCampaignView,
  AccessReviewDecisionItem,
  AccessReviewDecisionsView,
  AccessReviewLookupView,
  AccessReviewSummaryView,
  AccountView,
  AuditEventView,
  CalendarFeedView,
  CoverageEntryView,
  CoverageState,
  Decision,
  DenyReasonCode,
  EmailPreferencesView,
  ErrorBody,
  ManageAccessView,
  MeView,
  NominationView,
  NoticeView,
  OrganizationDetailView,
  OrganizationUsersView,
  OrganizationView,
  OrgRole,
  Page,
  RemovalRecord,
  RoleRequestView,
  WebhookDeliveryStatus,
  WebhookDeliveryView,
  WebhookEventType,
  WebhookView,
  WebhookWithSecret,
} from '@am/contracts';
import { ACCESS_REVIEW_DECISIONS_MAX } from '@am/contracts';
import { authHeaders, clearSession, saveSession, type StoredSession } from './session';

const BASE = '/api/v1';
/** The program's public iCalendar feed (issue 19): anyone may subscribe. */
export const PUBLIC_CALENDAR_FEED = `${BASE}/program-calendar.ics`;
const MAX_DECISIONS_PER_CALL = 100;

/** A nomination of a backup Security Official (issue 18), as the API answers it: the contract's own type. */
export type { NominationView } from '@am/contracts';

/** A refusal from the API, with its status and the `{error:{code,message,field}}` body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** More about the refusal: e.g. `{reason}` of a refused link, `{rule}` of a refused password. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Why a request is denied: a code the requester reads in plain words, and a free-text reason (required for OTHER). */
export interface DenyReason {
  reasonCode: DenyReasonCode;
  reason?: string;
}

/** One item of POST /role-requests/decisions, in the order asked: its own HTTP status, the request or the error. */
export interface DecisionItemResult {
  requestId: string;
  status: number;
  request?: RoleRequestView;
  error?: ErrorBody;
}

/** What the first step of sign-in asks for next: a security code, or setting up two-factor first. */
export type SignInStep = { next: 'mfa'; mfaToken: string } | { next: 'enroll-two-factor'; enrollmentToken: string };

/** A new authenticator secret (shown once): the otpauth URI, its QR code as a PNG data URL, and the key for manual entry. */
export interface TwoFactorSecret {
  secret: string;
  otpauthUri: string;
  qrCode: string;
  issuer: string;
  accountName: string;
}

/** A completed sign-in; `recoveryCodesRemaining` is there when a recovery code was used. */
export type SignedIn = StoredSession & { recoveryCodesRemaining?: number };

/** The answer to a public account request: what happens next, in words for the person. */
export interface AccountMessage {
  message: string;
}
/** A single-use link used: whose account, and what to do now. */
export interface LinkUsed extends AccountMessage {
  userId: string;
}

type Listener = () => void;
const sessionEndedListeners = new Set<Listener>();
/** Called when the server says the session is gone (401), so the app can return to sign-in. */
export function onSessionEnded(fn: Listener): () => void {
  sessionEndedListeners.add(fn);
  return () => sessionEndedListeners.delete(fn);
}

async function send(method: string, path: string, body?: unknown, extra: RequestInit = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders(method) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  // Every POST carries an Idempotency-Key, so a retried click never acts twice (API v1).
  if (method === 'POST') headers['idempotency-key'] = crypto.randomUUID();
  return fetch(`${BASE}${path}`, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body), ...extra });
}

async function errorOf(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as { error?: ErrorBody } | null;
  const e = body?.error;
  return new ApiError(res.status, e?.code ?? 'HTTP_' + res.status, e?.message ?? `The server answered ${res.status} ${res.statusText}`, e?.field, e?.details);
}

async function call<T>(method: string, path: string, body?: unknown, opts: { public?: boolean } = {}): Promise<T> {
  const res = await send(method, path, body);
  if (!res.ok) {
    const err = await errorOf(res);
    if (res.status === 401 && !opts.public) {
      clearSession();
      sessionEndedListeners.forEach((fn) => fn());
    }
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const qs = (params: Record<string, string | number | undefined>) => {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== '') as [string, string | number][];
  return entries.length ? '?' + new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString() : '';
};
const id = encodeURIComponent;

export const api = {
  signIn: (userId: string, password: string, acceptStatementOfTruth: boolean) =>
    call<SignInStep>('POST', '/auth/sign-in', { userId, password, acceptStatementOfTruth }, { public: true }),
  /** The second step with the authenticator's 6-digit code, or instead with one of the recovery codes. */
  async completeMfa(mfaToken: string, second: { code: string } | { recoveryCode: string }): Promise<SignedIn> {
    const s = await call<SignedIn>('POST', '/auth/mfa', { mfaToken, ...second, session: 'cookie' }, { public: true });
    saveSession(s);
    return s;
  },
  /** Two-factor enrollment, step 1: a new secret for the account that signed in (asking again replaces it). */
  enrollTwoFactor: (enrollmentToken: string) => call<TwoFactorSecret>('POST', '/auth/mfa/enroll', { enrollmentToken }, { public: true }),
  /**
   * Step 2: the first code confirms the secret and opens the session (as cookies). The session is
   * kept by the caller (saveSession) only once the person has saved the recovery codes.
   */
  confirmTwoFactor: (enrollmentToken: string, code: string) =>
    call<StoredSession & { recoveryCodes: string[] }>('POST', '/auth/mfa/enroll/confirm', { enrollmentToken, code, session: 'cookie' }, { public: true }),

  // Self-service accounts (public, rate-limited; the answers never tell whether an account exists).
  register: (a: { userId: string; displayName: string; email: string; password: string }) => call<AccountMessage>('POST', '/accounts', a, { public: true }),
  verifyEmail: (token: string) => call<LinkUsed>('POST', '/accounts/verify-email', { token }, { public: true }),
  forgotUserId: (email: string) => call<AccountMessage>('POST', '/accounts/forgot-user-id', { email }, { public: true }),
  forgotPassword: (userId: string) => call<AccountMessage>('POST', '/accounts/forgot-password', { userId }, { public: true }),
  resetPassword: (token: string, password: string) => call<LinkUsed>('POST', '/accounts/reset-password', { token, password }, { public: true }),

  async signOut(): Promise<void> {
    try {
      await call<void>('POST', '/auth/sign-out', {}, { public: true });
    } finally {
      clearSession();
    }
  },
  me: () => call<MeView>('GET', '/me'),
  /** Per-request emails or one daily digest (issue 19); an omitted hour or time zone keeps the current one. */
  emailPreferences: () => call<EmailPreferencesView>('GET', '/me/preferences'),
  updateEmailPreferences: (p: EmailPreferencesView) => call<EmailPreferencesView>('PUT', '/me/preferences', p),
  manageAccess: (q: { name?: string; page?: number; pageSize?: number } = {}) => call<ManageAccessView>('GET', `/manage-access${qs(q)}`),
  searchOrganizations: (q: { q?: string; page?: number; pageSize?: number }) => call<Page<OrganizationView>>('GET', `/organizations${qs(q)}`),
  organizationUsers: (orgId: string, q: { page?: number; pageSize?: number } = {}) =>
    call<OrganizationUsersView>('GET', `/organizations/${id(orgId)}/users${qs(q)}`),
  removeAccess: (orgId: string, userId: string, reason?: string) =>
    call<RemovalRecord>('DELETE', `/organizations/${id(orgId)}/users/${id(userId)}`, reason ? { reason } : undefined),
  updateRegistration: (orgId: string, r: { cmsWebInterface: boolean; cahpsSurvey: boolean }) =>
    call<OrganizationView>('PUT', `/organizations/${id(orgId)}/registration`, r),
  submitRequest: (r: { organizationId: string; role: OrgRole; justification?: string }) => call<RoleRequestView>('POST', '/role-requests', r),
  organization: (orgId: string) => call<OrganizationDetailView>('GET', `/organizations/${id(orgId)}`),
  /** One request: the requester's own, or one the caller can decide; a denial carries its reason code and resubmit suggestion. */
  request: (requestId: string) => call<RoleRequestView>('GET', `/role-requests/${id(requestId)}`),
  approve: (requestId: string) => call<RoleRequestView>('POST', `/role-requests/${id(requestId)}/approve`, {}),
  deny: (requestId: string, r: DenyReason) => call<RoleRequestView>('POST', `/role-requests/${id(requestId)}/deny`, r),
  /** Takes back a denial inside its undo window: the request is pending again (409 once the window has closed). */
  undo: (requestId: string) => call<RoleRequestView>('POST', `/role-requests/${id(requestId)}/undo`),
  /**
   * Decides many requests, each as if alone: one result per id, in order (a failure fails only its
   * item). One call per 100 requests, the most the API takes at once (PRODUCT.md section 7).
   */
  async decideMany(decision: Decision, requestIds: string[], r?: DenyReason): Promise<DecisionItemResult[]> {
    const results: DecisionItemResult[] = [];
    for (let i = 0; i < requestIds.length; i += MAX_DECISIONS_PER_CALL) {
      const batch = requestIds.slice(i, i + MAX_DECISIONS_PER_CALL);
      results.push(...(await call<{ results: DecisionItemResult[] }>('POST', '/role-requests/decisions', { decision, requestIds: batch, ...r })).results);
    }
    return results;
  },
  withdraw: (requestId: string) => call<RoleRequestView>('POST', `/role-requests/${id(requestId)}/withdraw`, {}),
  audit: (q: { organizationId?: string; from?: string; to?: string; page?: number; pageSize?: number }) =>
    call<Page<AuditEventView>>('GET', `/audit${qs(q)}`),
  /** The audit events as CSV (the same filters), for a download. */
  async auditCsv(q: { organizationId?: string; from?: string; to?: string }): Promise<Blob> {
    const res = await send('GET', `/audit${qs({ ...q, format: 'csv' })}`);
    if (!res.ok) throw await errorOf(res);
    return res.blob();
  },

  /** The help desk's organizations by approver coverage: without a state, those at risk (NONE and SINGLE), riskiest first. */
  coverage: (q: { state?: CoverageState; page?: number; pageSize?: number } = {}) => call<Page<CoverageEntryView>>('GET', `/coverage${qs(q)}`),

  // Nominating a backup Security Official (issue 18): the nominator names an account (id or user id);
  // the nominee accepts or declines.
  nominate: (orgId: string, n: { userId: string; message?: string }) => call<NominationView>('POST', `/organizations/${id(orgId)}/nominations`, n),
  /** The caller's pending nominations, oldest first (the API answers `{items}`). */
  async myNominations(): Promise<NominationView[]> {
    const answer = await call<{ items: NominationView[] } | NominationView[]>('GET', '/me/nominations');
    return Array.isArray(answer) ? answer : answer.items;
  },
  nomination: (nominationId: string) => call<NominationView>('GET', `/nominations/${id(nominationId)}`),
  respondToNomination: (nominationId: string, response: 'accept' | 'decline') => call<NominationView>('POST', `/nominations/${id(nominationId)}/${response}`, {}),

  // Access reviews (issue 18): the help desk starts campaigns; each organization's Security Officials
  // keep or remove every connected user before the due date.
  /** Starts a campaign for one organization, or for all without organizationId (help desk). */
  startAccessReview: (c: { organizationId?: string; dueAt: string }) => call<AccessReviewCampaignView>('POST', '/access-reviews', c),
  /** The campaigns, newest first (help desk). */
  accessReviewCampaigns: (q: { page?: number; pageSize?: number } = {}) => call<Page<AccessReviewCampaignView>>('GET', `/access-reviews${qs(q)}`),
  /** A campaign with its organizations a page at a time (help desk), or one organization's review with its users. */
  accessReview: (reviewOrCampaignId: string, q: { page?: number; pageSize?: number } = {}) =>
    call<AccessReviewLookupView>('GET', `/access-reviews/${id(reviewOrCampaignId)}${qs(q)}`),
  /**
   * Records decisions on one review, each as if alone: one result per user. One call per
   * ACCESS_REVIEW_DECISIONS_MAX items; the answer's review is the last call's (the freshest).
   */
  async decideAccessReview(reviewId: string, items: AccessReviewDecisionItem[]): Promise<AccessReviewDecisionsView> {
    let answer: AccessReviewDecisionsView | null = null;
    const results: AccessReviewDecisionsView['results'] = [];
    for (let i = 0; i < items.length; i += ACCESS_REVIEW_DECISIONS_MAX) {
      answer = await call<AccessReviewDecisionsView>('POST', `/access-reviews/${id(reviewId)}/decisions`, { items: items.slice(i, i + ACCESS_REVIEW_DECISIONS_MAX) });
      results.push(...answer.results);
    }
    if (!answer) throw new Error('No decisions to record.');
    return { results, review: answer.review };
  },
  /** The caller's open reviews: as a Security Official, or for the help desk those of organizations without one. */
  async myAccessReviews(): Promise<AccessReviewSummaryView[]> {
    return (await call<{ items: AccessReviewSummaryView[] }>('GET', '/me/access-reviews')).items;
  },

  /** The caller's personal calendar feed URL (issue 19), issued on first use. */
  calendarFeed: () => call<CalendarFeedView>('GET', '/me/calendar-feed'),
  /** A new personal feed URL: the old one stops working at once. */
  rotateCalendarFeed: () => call<CalendarFeedView>('POST', '/me/calendar-feed/rotate'),

  // The help desk's hold on accounts: look one up by user id, disable / enable it, reset its two-factor.
  account: (userId: string) => call<AccountView>('GET', `/users/${id(userId)}`),
  accountAction: (userId: string, action: 'disable' | 'enable' | 'reset-two-factor', reason: string) =>
    call<AccountView>('POST', `/users/${id(userId)}/${action}`, { reason }),

  // Outbound webhooks (issue 20, help desk): endpoints that other systems register to hear about
  // changes. The signing secret is answered at creation and rotation only.
  createWebhook: (w: { url: string; events: WebhookEventType[]; organizationId?: string; description?: string }) =>
    call<WebhookWithSecret>('POST', '/webhooks', w),
  webhooks: (q: { page?: number; pageSize?: number } = {}) => call<Page<WebhookView>>('GET', `/webhooks${qs(q)}`),
  webhook: (webhookId: string) => call<WebhookView>('GET', `/webhooks/${id(webhookId)}`),
  /** Changes the events or description (an empty one clears it); paused true pauses it, false resumes it (also one paused by failures or disabled by a 410). */
  updateWebhook: (webhookId: string, change: { events?: WebhookEventType[]; paused?: boolean; description?: string }) =>
    call<WebhookView>('PATCH', `/webhooks/${id(webhookId)}`, change),
  deleteWebhook: (webhookId: string) => call<WebhookView>('DELETE', `/webhooks/${id(webhookId)}`),
  /** A new signing secret (shown once); the previous one keeps signing until previousSecretExpiresAt. */
  rotateWebhookSecret: (webhookId: string) => call<WebhookWithSecret>('POST', `/webhooks/${id(webhookId)}/rotate-secret`),
  webhookDeliveries: (webhookId: string, q: { status?: WebhookDeliveryStatus; page?: number; pageSize?: number } = {}) =>
    call<Page<WebhookDeliveryView>>('GET', `/webhooks/${id(webhookId)}/deliveries${qs(q)}`),
  /** Sends a delivered or failed delivery again, with the same webhook-id (409 DELIVERY_IN_PROGRESS while it is still being attempted). */
  redeliverWebhook: (webhookId: string, deliveryId: string) =>
    call<WebhookDeliveryView>('POST', `/webhooks/${id(webhookId)}/deliveries/${id(deliveryId)}/redeliver`),
  /** Sends a signed `webhook.ping` to the endpoint. */
  pingWebhook: (webhookId: string) => call<WebhookDeliveryView>('POST', `/webhooks/${id(webhookId)}/test`),

  // In-app notices (PRODUCT.md rule 13): the list, marking one read, and the live stream.
  notifications: (q: { unread?: boolean; limit?: number } = {}) =>
    call<NoticeView[]>('GET', `/notifications${qs({ unread: q.unread ? 'true' : undefined, limit: q.limit })}`),
  markRead: (noticeId: string) => call<NoticeView>('POST', `/notifications/${id(noticeId)}/read`, {}),
  /**
   * Opens GET /notifications/stream (Server-Sent Events: `ready`, `notice`, `ping`) with fetch and
   * the session cookie, so the caller controls reconnecting and reads the body with
   * readServerSentEvents. Resolves with the response, or rejects with ApiError.
   */
  async openNotificationStream(signal: AbortSignal): Promise<Response> {
    const res = await fetch(`${BASE}/notifications/stream`, { headers: { accept: 'text/event-stream' }, credentials: 'same-origin', signal, cache: 'no-store' });
    if (!res.ok || !res.body) throw await errorOf(res);
    return res;
  },
};
