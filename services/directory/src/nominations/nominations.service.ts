import { Injectable } from '@nestjs/common';
import {
  DomainError,
  ERROR_CODES,
  NOMINATION_REFUSALS,
  proofTarget,
  REFUSALS,
  STATUS_OF_RESPONSE,
  type GetNominationQuery,
  type NominationView,
} from '@am/contracts';
import { CallerProofVerifier } from '@am/service-kit';
import { nominationWorkflowId, type NominationOutcome, type NominationRecord, type RecordNominationInput, type RecordNominationResponseInput } from '@am/workflow-contracts';
import { AuditRepository } from '../audit/audit.repository';
import { isUniqueViolation } from '../role-requests/role-requests.repository';
import { NominationsRepository, type NominationRow } from './nominations.repository';

/**
 * Nominating a backup Security Official (issue 18): the rules of who may nominate whom, and of the
 * nominee's answer. Each nomination's workflow records it and its outcome through these methods.
 */
@Injectable()
export class NominationsService {
  constructor(
    private readonly repo: NominationsRepository,
    private readonly audit: AuditRepository,
    private readonly proofs: CallerProofVerifier,
  ) {}

  /**
   * Records a nomination under the id its workflow was started with, with its audit event, or
   * refuses it with nothing written. Idempotent: a retried activity finds it recorded and returns it.
   */
  async record(cmd: RecordNominationInput): Promise<NominationRecord> {
    await this.proofs.verify(cmd.proof, { action: 'nomination.create', target: proofTarget.nominations(cmd.organizationId), actorId: cmd.nominatorId, acceptedAt: cmd.acceptedAt });
    const recorded = await this.repo.findById(cmd.nominationId);
    if (recorded) return recordOf(recorded);
    const org = await this.repo.findOrganization(cmd.organizationId);
    if (!org) throw REFUSALS.noSuchOrganization('orgId');
    if (org.sharedSavingsAco) {
      throw new DomainError(ERROR_CODES.MANAGED_IN_ACO_MS, `${org.name} is a Shared Savings Program ACO: its roles are managed in the ACO Management System (ACO-MS), not here`, 'orgId');
    }
    if ((await this.repo.roleAt(cmd.nominatorId, org.id))?.role !== 'SECURITY_OFFICIAL') {
      throw new DomainError(ERROR_CODES.FORBIDDEN, `Only a Security Official of ${org.name} can nominate a backup Security Official there`);
    }
    const nominee = await this.repo.findAccount(cmd.nominee);
    if (!nominee) throw new DomainError(ERROR_CODES.NOT_FOUND, 'No account has this user id', 'userId');
    if (nominee.id === cmd.nominatorId) throw new DomainError(ERROR_CODES.FORBIDDEN, 'Nobody can nominate themselves: nominate another person', 'userId');
    if (nominee.disabledAt) throw new DomainError(ERROR_CODES.ACCOUNT_DISABLED, `${nominee.displayName}’s account is disabled: it cannot be nominated`, 'userId');
    if ((await this.repo.roleAt(nominee.id, org.id))?.role === 'SECURITY_OFFICIAL') {
      throw new DomainError(ERROR_CODES.ROLE_ALREADY_HELD, `${nominee.displayName} is a Security Official of ${org.name} already`, 'userId');
    }
    const pending = await this.repo.findPending(nominee.id, org.id);
    if (pending) throw alreadyNominated(nominee.displayName, org.name, pending.id);
    const createdAt = new Date();
    const row = await this.repo
      .inTransaction(async (tx) => {
        const created = await this.repo.create(
          {
            id: cmd.nominationId,
            organizationId: org.id,
            nomineeId: nominee.id,
            nominatedById: cmd.nominatorId,
            message: cmd.message?.trim() || null,
            createdAt,
            expiresAt: new Date(createdAt.getTime() + cmd.expiresAfterMs),
          },
          tx,
        );
        await this.audit.append(
          {
            action: 'nomination.created',
            actorId: cmd.nominatorId,
            organizationId: org.id,
            subjectId: created.id,
            details: { role: 'SECURITY_OFFICIAL', nomineeId: nominee.id, expiresAt: created.expiresAt.toISOString() },
          },
          tx,
        );
        return created;
      })
      .catch(async (err: unknown) => {
        if (!isUniqueViolation(err)) throw err;
        // A retry that raced its first attempt: the nomination is recorded under this id.
        const mine = await this.repo.findById(cmd.nominationId);
        if (mine) return mine;
        // The partial unique index: another nomination of this nominee here won the race.
        const other = await this.repo.findPending(nominee.id, org.id);
        throw alreadyNominated(nominee.displayName, org.name, other?.id);
      });
    return recordOf(row);
  }

  /**
   * The nominee's answer, in one short transaction under the organization's lock (like decisions
   * and removals): the first answer (or the expiry) recorded wins. An acceptance grants the
   * Security Official role, recorded as approved by the nominator, who must still be a Security
   * Official there. Idempotent: the same answer retried returns what was recorded.
   */
  async respond(cmd: RecordNominationResponseInput): Promise<NominationOutcome> {
    await this.proofs.verify(cmd.proof, { action: 'nomination.respond', target: proofTarget.nomination(cmd.nominationId), actorId: cmd.nomineeId, acceptedAt: cmd.acceptedAt });
    const status = STATUS_OF_RESPONSE[cmd.response];
    return this.repo.inTransaction(async (tx) => {
      const row = await this.repo.lockForResponse(cmd.nominationId, tx);
      if (!row) throw NOMINATION_REFUSALS.noSuchNomination();
      if (row.nomineeId !== cmd.nomineeId) throw NOMINATION_REFUSALS.notTheNominee();
      if (row.status === status) return outcomeOf(row);
      if (row.status !== 'PENDING') throw closedRefusal(row);
      if (new Date(cmd.acceptedAt) >= row.expiresAt) throw NOMINATION_REFUSALS.alreadyClosed({ status: 'EXPIRED', by: null, at: row.expiresAt.toISOString() });
      if (status === 'ACCEPTED' && (await this.repo.roleAt(row.nominatedById, row.organizationId, tx))?.role !== 'SECURITY_OFFICIAL') {
        throw NOMINATION_REFUSALS.lapsed(row.nominatedBy.displayName, row.organization.name);
      }
      const respondedAt = new Date();
      if (!(await this.repo.closeIfPending(row.id, status, respondedAt, tx))) throw closedRefusal((await this.repo.findById(row.id, tx))!);
      if (status === 'ACCEPTED') await this.repo.grantSecurityOfficial(row.nomineeId, row.organizationId, tx);
      await this.audit.append(
        {
          action: status === 'ACCEPTED' ? 'nomination.accepted' : 'nomination.declined',
          actorId: row.nomineeId,
          organizationId: row.organizationId,
          subjectId: row.id,
          details: status === 'ACCEPTED' ? { role: 'SECURITY_OFFICIAL', approvedById: row.nominatedById } : { role: 'SECURITY_OFFICIAL', nominatedById: row.nominatedById },
        },
        tx,
      );
      return outcomeOf({ ...row, status, respondedAt });
    });
  }

  /** Expires a pending nomination (its workflow's timer fired); one closed meanwhile is returned as it closed. Idempotent. */
  async expire(cmd: { nominationId: string }): Promise<NominationOutcome> {
    return this.repo.inTransaction(async (tx) => {
      const row = await this.repo.lockForResponse(cmd.nominationId, tx);
      if (!row) throw NOMINATION_REFUSALS.noSuchNomination();
      if (row.status !== 'PENDING') return outcomeOf(row);
      const respondedAt = new Date();
      if (!(await this.repo.closeIfPending(row.id, 'EXPIRED', respondedAt, tx))) return outcomeOf((await this.repo.findById(row.id, tx))!);
      await this.audit.append(
        {
          action: 'nomination.expired',
          actorId: null,
          organizationId: row.organizationId,
          subjectId: row.id,
          details: { role: 'SECURITY_OFFICIAL', nomineeId: row.nomineeId, nominatedById: row.nominatedById, createdAt: row.createdAt.toISOString() },
        },
        tx,
      );
      return outcomeOf({ ...row, status: 'EXPIRED', respondedAt });
    });
  }

  /** One nomination: for its nominee, the organization's Security Officials and the help desk. */
  async get(query: GetNominationQuery): Promise<NominationView> {
    const row = await this.repo.findById(query.nominationId);
    if (!row) throw NOMINATION_REFUSALS.noSuchNomination();
    if (row.nomineeId === query.viewerId) return toNominationView(row);
    if ((await this.repo.roleAt(query.viewerId, row.organizationId))?.role === 'SECURITY_OFFICIAL') return toNominationView(row);
    if ((await this.repo.findUser(query.viewerId))?.platformRole === 'HELP_DESK') return toNominationView(row);
    throw new DomainError(ERROR_CODES.FORBIDDEN, 'Only the nominee, the Security Officials of the organization and the help desk can see this nomination');
  }

  /** The user's pending nominations, oldest first. */
  async mine(userId: string): Promise<{ items: NominationView[] }> {
    return { items: (await this.repo.pendingFor(userId)).map(toNominationView) };
  }
}

function alreadyNominated(nomineeName: string, organizationName: string, nominationId: string | undefined): DomainError {
  return new DomainError(
    ERROR_CODES.ALREADY_NOMINATED,
    `${nomineeName} has a pending nomination at ${organizationName} already`,
    'userId',
    nominationId ? { nominationId } : undefined,
  );
}

/** 409: what happened to the nomination, by whom, when. */
function closedRefusal(row: NominationRow): DomainError {
  return NOMINATION_REFUSALS.alreadyClosed({
    status: row.status,
    by: row.status === 'EXPIRED' ? null : { id: row.nominee.id, displayName: row.nominee.displayName },
    at: row.respondedAt?.toISOString() ?? null,
  });
}

export function toNominationView(row: NominationRow): NominationView {
  return {
    id: row.id,
    workflowId: nominationWorkflowId(row.id),
    status: row.status,
    organization: { id: row.organization.id, kind: row.organization.kind, identifier: row.organization.identifier, name: row.organization.name },
    nominee: { id: row.nominee.id, displayName: row.nominee.displayName },
    nominatedBy: { id: row.nominatedBy.id, displayName: row.nominatedBy.displayName },
    message: row.message,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    respondedAt: row.respondedAt?.toISOString() ?? null,
  };
}

function recordOf(row: NominationRow): NominationRecord {
  return { view: toNominationView(row), nominee: row.nominee, nominator: row.nominatedBy, organization: { id: row.organization.id, name: row.organization.name } };
}

function outcomeOf(row: NominationRow): NominationOutcome {
  if (row.status === 'PENDING' || !row.respondedAt) throw new Error(`Nomination ${row.id} is not closed`);
  return { nominationId: row.id, status: row.status, respondedAt: row.respondedAt.toISOString(), view: toNominationView(row) };
}
