import type { ProvenCommand } from './messages';
import type { OrganizationSummary } from './domain';
import { DomainError, ERROR_CODES } from './errors';

/**
 * Nominating a backup Security Official (issue 18): a Security Official of an organization
 * nominates a registered account; the nominee accepts (and holds the role, recorded as approved by
 * the nominator) or declines; unanswered, the nomination expires.
 */
export const NOMINATION_STATUSES = ['PENDING', 'ACCEPTED', 'DECLINED', 'EXPIRED'] as const;
export type NominationStatus = (typeof NOMINATION_STATUSES)[number];

export const NOMINATION_RESPONSES = ['ACCEPT', 'DECLINE'] as const;
export type NominationResponse = (typeof NOMINATION_RESPONSES)[number];

/** The status a response records. */
export const STATUS_OF_RESPONSE: Record<NominationResponse, Extract<NominationStatus, 'ACCEPTED' | 'DECLINED'>> = { ACCEPT: 'ACCEPTED', DECLINE: 'DECLINED' };

/** At most this long, the nominator's message to the nominee. */
export const NOMINATION_MESSAGE_MAX = 1000;

export interface NominationView {
  id: string;
  workflowId: string;
  status: NominationStatus;
  organization: OrganizationSummary;
  nominee: { id: string; displayName: string };
  nominatedBy: { id: string; displayName: string };
  message: string | null;
  createdAt: string;
  /** When it expires unanswered (ISO 8601). */
  expiresAt: string;
  /** When it was accepted, declined or expired; null while pending. */
  respondedAt: string | null;
}

/** A Security Official nominates an account (by id or login id) at their organization. */
export interface CreateNominationCommand extends ProvenCommand {
  organizationId: string;
  nominatorId: string;
  /** The nominee as the nominator named them: an account id (uuid) or a login id. */
  nominee: string;
  message?: string;
}

/** The nominee accepts or declines. */
export interface RespondToNominationCommand extends ProvenCommand {
  nominationId: string;
  nomineeId: string;
  response: NominationResponse;
}

export interface GetNominationQuery {
  nominationId: string;
  viewerId: string;
}

/** The facts a refusal of a nomination that is no longer pending states: what happened, by whom, when. */
export interface ClosedNomination {
  status: NominationStatus;
  by: { id: string; displayName: string } | null;
  at: string | null;
}

/** The refusals of the nomination rules, each worded once, whichever service or workflow says it. */
export const NOMINATION_REFUSALS = {
  noSuchNomination: () => new DomainError(ERROR_CODES.NOT_FOUND, 'No nomination has this id', 'id'),
  notTheNominee: () => new DomainError(ERROR_CODES.FORBIDDEN, 'Only the nominee can accept or decline this nomination'),
  /** 409 naming what happened to the nomination, by whom, when; details carry the same facts. */
  alreadyClosed: (c: ClosedNomination) =>
    new DomainError(
      ERROR_CODES.ALREADY_DECIDED,
      c.status === 'EXPIRED'
        ? `This nomination expired unanswered at ${c.at}`
        : `This nomination was already ${c.status.toLowerCase()} by ${c.by?.displayName ?? 'the nominee'} at ${c.at}`,
      undefined,
      { status: c.status, decidedBy: c.by?.displayName ?? null, decidedById: c.by?.id ?? null, decidedAt: c.at },
    ),
  lapsed: (nominatorName: string, organizationName: string) =>
    new DomainError(
      ERROR_CODES.NOMINATION_LAPSED,
      `${nominatorName}, who nominated you, is no longer a Security Official of ${organizationName}: this nomination can no longer be accepted`,
    ),
};
