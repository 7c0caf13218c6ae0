import { defineQuery } from '@temporalio/workflow';
import type { OrganizationKind, OrgRole } from '@am/contracts';
import type { Person } from './role-request';

/**
 * The daily email digest (issue 19, part 4): a Temporal Schedule runs this workflow every
 * DIGEST_RUN_EVERY; each run asks the directory, a page at a time, whose digest is due (their local
 * time past their digest hour, none sent for their local date yet) and sends each one through the
 * notifications activity under `email-digest/<userId>/<localDate>`, then marks it sent. A run that
 * fails or is missed is caught up by the next; the key makes a second send a no-op.
 */
export const EMAIL_DIGEST_WORKFLOW = 'emailDigestWorkflow';

/** The schedule's id (a prefix lets parallel stacks share a namespace). */
export function emailDigestScheduleId(prefix = ''): string {
  return prefix ? `${prefix}-email-digest` : 'email-digest';
}

/** The idempotency key of one user's digest for one local date: at most one email each. */
export function emailDigestKey(userId: string, localDate: string): string {
  return `email-digest/${userId}/${localDate}`;
}

export interface EmailDigestWorkflowInput {
  taskQueues: { directory: string; notifications: string };
  /** Continued runs (continue-as-new): the page cursor (the last user id seen) and the state so far. */
  after?: string;
  state?: EmailDigestRunState;
}

export interface EmailDigestRunState {
  /** The run's reference time: whose digest is due is decided at this instant. */
  asOf: string;
  /** Digests sent (or found sent by an earlier attempt), and users due with nothing waiting, by this run (and the runs it continued) so far. */
  sent: number;
  empty: number;
}

export const emailDigestStatusQuery = defineQuery<EmailDigestRunState>('status');

/** One user whose digest is due, and the local date it is for (YYYY-MM-DD in their time zone). */
export interface DueDigest {
  userId: string;
  localDate: string;
}

export interface DueDigestPage {
  due: DueDigest[];
  /** The cursor of the next page; absent on the last. */
  next?: string;
}

/** One pending request in a digest. */
export interface DigestRequest {
  requestId: string;
  role: OrgRole;
  requesterName: string;
  justification: string | null;
  submittedAt: string;
}

/** The requests waiting on the user, grouped by organization (by name). */
export interface DigestOrganization {
  id: string;
  name: string;
  kind: OrganizationKind;
  identifier: string;
  requests: DigestRequest[];
}

/** What a user's digest lists: nothing to send when `total` is 0. `organizations` hold at most the first page of requests. */
export interface EmailDigestContent {
  to: Person;
  localDate: string;
  total: number;
  organizations: DigestOrganization[];
}
