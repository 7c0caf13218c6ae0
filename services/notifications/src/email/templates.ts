import Handlebars from 'handlebars';
import { DENY_REASON_LABELS, IDENTIFIER_LABELS, ROLE_LABELS, type AccountEmailTemplate, type QueueAccountEmailCommand } from '@am/contracts';
import type { NotificationInput, NotificationTemplate } from '@am/workflow-contracts';
import { accessRemoved } from './templates/access-removed';
import { webhookPaused } from './templates/webhook-paused';
import { accessReviewCompleted, accessReviewEscalated, accessReviewOpened, accessReviewReminder } from './templates/access-reviews';
import { accountDisabled } from './templates/account-disabled';
import { accountEnabled } from './templates/account-enabled';
import { decisionConfirmed } from './templates/decision-confirmed';
import { emailAlreadyRegistered } from './templates/email-already-registered';
import { emailDigest } from './templates/email-digest';
import type { EmailTemplateSource } from './templates/email-template';
import { layout } from './templates/layout';
import { nominationAccepted, nominationDeclined, nominationExpired, nominationReceived } from './templates/nominations';
import { passwordChanged } from './templates/password-changed';
import { passwordReset } from './templates/password-reset';
import { requestDecided } from './templates/request-decided';
import { requestEscalated } from './templates/request-escalated';
import { requestExpired } from './templates/request-expired';
import { requestReminder } from './templates/request-reminder';
import { requestSubmittedApprover } from './templates/request-submitted-approver';
import { requestSubmittedRequester } from './templates/request-submitted-requester';
import { requestWithdrawn } from './templates/request-withdrawn';
import { twoFactorReset } from './templates/two-factor-reset';
import { userIdReminder } from './templates/user-id-reminder';
import { verifyEmail } from './templates/verify-email';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** The in-app notice that accompanies an email. */
export interface RenderedNotice {
  title: string;
  body: string;
  link: string;
  /** Shown at once as a pop-up: the deciding approver's confirmation (rule 13). */
  popup: boolean;
}

export interface TemplateContext {
  webBaseUrl: string;
  support: { phone: string; email: string; hours: string };
}

type TemplateName = NotificationTemplate['template'] | AccountEmailTemplate;
/** What is rendered: a role request's notice (from a workflow) or an account email (issue 10). */
export type RenderInput = NotificationInput | QueueAccountEmailCommand;

/** One template per lifecycle event. */
const SOURCES: Record<TemplateName, EmailTemplateSource> = {
  'request-submitted-approver': requestSubmittedApprover,
  'request-submitted-requester': requestSubmittedRequester,
  'request-reminder': requestReminder,
  'request-escalated': requestEscalated,
  'request-decided': requestDecided,
  'decision-confirmed': decisionConfirmed,
  'request-expired': requestExpired,
  'request-withdrawn': requestWithdrawn,
  'access-removed': accessRemoved,
  'webhook-paused': webhookPaused,
  'email-digest': emailDigest,
  'nomination-received': nominationReceived,
  'nomination-accepted': nominationAccepted,
  'nomination-declined': nominationDeclined,
  'nomination-expired': nominationExpired,
  'access-review-opened': accessReviewOpened,
  'access-review-reminder': accessReviewReminder,
  'access-review-escalated': accessReviewEscalated,
  'access-review-completed': accessReviewCompleted,
  'verify-email': verifyEmail,
  'email-already-registered': emailAlreadyRegistered,
  'user-id-reminder': userIdReminder,
  'password-reset': passwordReset,
  'password-changed': passwordChanged,
  'account-disabled': accountDisabled,
  'account-enabled': accountEnabled,
  'two-factor-reset': twoFactorReset,
};

const ORDINAL = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

// A private Handlebars environment: its helpers are ours alone, and `strict` makes a misspelt
// field fail the render (and the activity, loudly) instead of leaving a blank in a sent email.
const hbs = Handlebars.create();
hbs.registerHelper('roleLabel', (role: string) => (ROLE_LABELS as Record<string, string>)[role] ?? role);
hbs.registerHelper('reasonLabel', (code: string) => (DENY_REASON_LABELS as Record<string, string>)[code] ?? code);
/** "A", "A and B", "A, B and C". */
hbs.registerHelper('names', (list: string[]) => (list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`));
hbs.registerHelper('day', (iso: string) => String(iso).slice(0, 10));
/** "2026-11-23 14:05 UTC". */
hbs.registerHelper('when', (iso: string) => `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
hbs.registerHelper('ordinal', (n: number) => ORDINAL[n - 1] ?? `${n}th`);

type Render = (data: object) => string;
const plain = (src: string): Render => hbs.compile(src, { noEscape: true, strict: true });
const escaped = (src: string): Render => hbs.compile(src, { strict: true });

const compiled = Object.fromEntries(
  Object.entries(SOURCES).map(([name, s]) => [name, { subject: plain(s.subject), text: plain(s.text), html: escaped(s.html), notice: plain(s.notice) }]),
) as Record<TemplateName, { subject: Render; text: Render; html: Render; notice: Render }>;
const layoutText = hbs.compile(layout.text, { noEscape: true, strict: true });
const layoutHtml = hbs.compile(layout.html, { strict: true });

/** The digest's organizations with each request's approve and deny links into Manage Access (issue 19). */
function digestModel(data: Extract<NotificationTemplate, { template: 'email-digest' }>['data'], ctx: TemplateContext) {
  const listed = data.organizations.reduce((n, o) => n + o.requests.length, 0);
  const link = (requestId: string, decision: 'approve' | 'deny') => `${ctx.webBaseUrl}/manage-access?request=${encodeURIComponent(requestId)}&decision=${decision}`;
  return {
    single: data.total === 1,
    listed,
    more: data.total > listed,
    organizations: data.organizations.map((o) => ({
      ...o,
      identifierLabel: `${IDENTIFIER_LABELS[o.kind]}: ${o.identifier}`,
      requests: o.requests.map((r) => ({ ...r, approveLink: link(r.requestId, 'approve'), denyLink: link(r.requestId, 'deny') })),
    })),
  };
}

/** What a template sees: the notice's data, flags its wording depends on, and the recipient's name. */
function modelOf(input: RenderInput, ctx: TemplateContext): Record<string, unknown> {
  const model: Record<string, unknown> = {
    reason: null,
    justification: null,
    message: null,
    ...input.data,
    recipientName: input.to.displayName,
  };
  if (input.template === 'request-decided') model.approved = input.data.decision === 'APPROVED';
  if (input.template === 'decision-confirmed') model.decided = input.data.decision === 'APPROVED' ? 'approved' : 'denied';
  if (input.template === 'request-withdrawn') model.toRequester = input.data.audience === 'requester';
  if (input.template === 'access-review-completed') model.removeUnreviewed = input.data.unreviewedPolicy === 'remove';
  if (input.template === 'access-review-opened' || input.template === 'access-review-reminder') model.removeUnreviewed = input.data.unreviewedPolicy === 'remove';
  if (input.template === 'email-digest') Object.assign(model, digestModel(input.data, ctx));
  return model;
}

/**
 * Where the recipient acts on the notice in the web UI. A single-use token travels in the link's
 * fragment (`#token=`), which browsers never send to a server, so it stays out of request logs.
 */
function linkOf(input: RenderInput, ctx: TemplateContext): { link: string; linkLabel: string } {
  switch (input.template) {
    case 'verify-email':
      return { link: `${ctx.webBaseUrl}/verify-email#token=${input.data.token}`, linkLabel: 'Verify your email address' };
    case 'password-reset':
      return { link: `${ctx.webBaseUrl}/reset-password#token=${input.data.token}`, linkLabel: 'Choose a new password' };
    case 'email-already-registered':
    case 'user-id-reminder':
    case 'password-changed':
    case 'account-enabled':
    case 'two-factor-reset':
      return { link: `${ctx.webBaseUrl}/`, linkLabel: 'Sign in to Access Manager' };
    case 'account-disabled':
      return { link: `${ctx.webBaseUrl}/`, linkLabel: 'Access Manager' };
    case 'nomination-received':
      return { link: `${ctx.webBaseUrl}/nominations/${input.data.nominationId}`, linkLabel: 'Accept or decline the nomination' };
    case 'nomination-accepted':
    case 'nomination-declined':
    case 'nomination-expired':
      return { link: `${ctx.webBaseUrl}/nominations/${input.data.nominationId}`, linkLabel: 'See the nomination' };
    case 'access-review-opened':
    case 'access-review-reminder':
    case 'access-review-escalated':
      return { link: `${ctx.webBaseUrl}/access-reviews/${input.data.reviewId}`, linkLabel: 'Open the access review' };
    case 'access-review-completed':
      return { link: `${ctx.webBaseUrl}/access-reviews/${input.data.reviewId}`, linkLabel: 'See the review' };
    case 'webhook-paused':
      return { link: `${ctx.webBaseUrl}/webhooks?id=${encodeURIComponent(input.data.webhookId)}`, linkLabel: 'Open the webhook' };
    case 'request-decided':
      // A denial offers "Request again", prefilled with the suggestion fitted to its reason (issue 17).
      if (input.data.decision === 'DENIED' && input.data.resubmitPath) return { link: `${ctx.webBaseUrl}${input.data.resubmitPath}`, linkLabel: 'Request again' };
      return { link: `${ctx.webBaseUrl}/manage-access`, linkLabel: 'Open Manage Access' };
    default:
      return { link: `${ctx.webBaseUrl}/manage-access`, linkLabel: input.template === 'request-escalated' ? 'Open Manage Access to follow up' : 'Open Manage Access' };
  }
}

/**
 * A single-use link's token, in the text part (`#token=...`) and in the HTML part, where `=` is
 * escaped. The ledger keeps an email only with its tokens replaced, once it has been sent.
 */
const LINK_TOKEN = /#token(=|&#x3D;)[A-Za-z0-9_-]+/g;
export function withoutLinkTokens(part: string): string {
  return part.replace(LINK_TOKEN, '#token$1removed-after-sending');
}

const squeeze = (s: string) => s.replace(/\n{3,}/g, '\n\n').trim();

/** Renders one notification into its subject, a plain-text and an HTML part, each with the support contact footer. */
export function renderNotification(input: RenderInput, ctx: TemplateContext): RenderedEmail {
  const t = compiled[input.template];
  const model = modelOf(input, ctx);
  const frame = { ...model, ...linkOf(input, ctx), support: ctx.support };
  const subject = t.subject(model).replace(/\s+/g, ' ').trim();
  return {
    subject,
    text: `${squeeze(layoutText({ ...frame, body: squeeze(t.text(model)) }))}\n`,
    html: layoutHtml({ ...frame, subject, body: t.html(model).trim() }),
  };
}

/** The in-app notice that accompanies the email of `input`. */
export function renderNotice(input: RenderInput, ctx: TemplateContext): RenderedNotice {
  const t = compiled[input.template];
  const model = modelOf(input, ctx);
  return {
    title: t.subject(model).replace(/\s+/g, ' ').trim(),
    body: t.notice(model).trim(),
    link: linkOf(input, ctx).link,
    popup: input.template === 'decision-confirmed',
  };
}
