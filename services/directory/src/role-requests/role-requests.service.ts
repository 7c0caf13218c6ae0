import { Injectable } from '@nestjs/common';
import { DomainError, ERROR_CODES, type DenyReasonCode, type GetRoleRequestQuery, proofTarget, REFUSALS, ROLE_LABELS, type RoleRequestView } from '@am/contracts';
import { CallerProofVerifier } from '@am/service-kit';
import type {
  ClosureRecord,
  DecisionRecord,
  Person,
  RecordDecisionInput,
  RecordReminderInput,
  RecordSubmissionInput,
  RequestParties,
  SubmissionRecord,
  UndoDecisionInput,
  UndoRecord,
  WithdrawRequestInput,
} from '@am/workflow-contracts';
import { AuditRepository } from '../audit/audit.repository';
import type { Tx } from '../prisma/prisma.service';
import { asRequesterSeesIt, inUndoWindow, toRoleRequestView } from './role-request.mapper';
import { isUniqueViolation, RoleRequestsRepository, type LockedRequest, type RoleRequestRow } from './role-requests.repository';

/** The rules of requesting and deciding a role (PRODUCT.md rules 1-5). */
@Injectable()
export class RoleRequestsService {
  constructor(
    private readonly repo: RoleRequestsRepository,
    private readonly audit: AuditRepository,
    private readonly proofs: CallerProofVerifier,
  ) {}

  /**
   * Records a submission for the request's workflow, under the id the workflow was started with.
   * Idempotent: a retried activity finds the request recorded under this id and returns it.
   */
  async recordSubmission(cmd: RecordSubmissionInput): Promise<SubmissionRecord> {
    await this.proofs.verify(cmd.proof, {
      action: 'role-request.submit',
      target: proofTarget.submit(cmd.organizationId, cmd.role),
      actorId: cmd.requesterId,
      acceptedAt: cmd.acceptedAt,
    });
    const recorded = await this.repo.findById(cmd.requestId);
    if (recorded) return this.submissionOf(recorded);
    const org = await this.repo.findOrganization(cmd.organizationId);
    if (!org) throw REFUSALS.noSuchOrganization();
    if (org.sharedSavingsAco) {
      throw new DomainError(
        ERROR_CODES.MANAGED_IN_ACO_MS,
        `${org.name} is a Shared Savings Program ACO: its roles are managed in the ACO Management System (ACO-MS), not here`,
        'organizationId',
      );
    }
    const held = await this.repo.findAssignment(cmd.requesterId, org.id);
    if (held && (held.role === cmd.role || held.role === 'SECURITY_OFFICIAL')) {
      throw new DomainError(ERROR_CODES.ROLE_ALREADY_HELD, `You already hold the ${ROLE_LABELS[held.role]} role at ${org.name}`, 'role');
    }
    // A denial still inside its undo window is, for its requester, a pending request (issue 17): rule 1 holds for it too.
    const unannounced = await this.repo.findUndoableDenial(cmd.requesterId, org.id);
    if (unannounced) {
      throw new DomainError(ERROR_CODES.DUPLICATE_PENDING_REQUEST, `You already have a pending request at ${org.name}`, 'organizationId', {
        pendingRequestId: unannounced.id,
        pendingRole: unannounced.role,
      });
    }
    const created = await this.repo
      .inTransaction(async (tx) => {
        const row = await this.repo.create(
          {
            id: cmd.requestId,
            requesterId: cmd.requesterId,
            organizationId: org.id,
            role: cmd.role,
            justification: cmd.justification ?? null,
            nextReminderAt: cmd.nextReminderAt ? new Date(cmd.nextReminderAt) : null,
          },
          tx,
        );
        await this.audit.append(
          { action: 'role-request.submitted', actorId: cmd.requesterId, organizationId: org.id, subjectId: row.id, details: { role: cmd.role } },
          tx,
        );
        return row;
      })
      .catch(async (err: unknown) => {
        if (!isUniqueViolation(err)) throw err;
        // A retry that raced its first attempt: the request is recorded under this id.
        const mine = await this.repo.findById(cmd.requestId);
        if (mine) return mine;
        // The partial unique index makes rule 1 hold even for two submissions at the same instant.
        const pending = await this.repo.findPending(cmd.requesterId, org.id);
        throw new DomainError(
          ERROR_CODES.DUPLICATE_PENDING_REQUEST,
          `You already have a pending request at ${org.name}`,
          'organizationId',
          pending ? { pendingRequestId: pending.id, pendingRole: pending.role } : undefined,
        );
      });
    return this.submissionOf(created);
  }

  private async submissionOf(row: RoleRequestRow): Promise<SubmissionRecord> {
    const [securityOfficials, helpDesk] = await Promise.all([this.repo.securityOfficials(row.organizationId), this.repo.helpDesk()]);
    return { view: toRoleRequestView(row, securityOfficials), parties: partiesOf(row, securityOfficials, helpDesk) };
  }

  async get(query: GetRoleRequestQuery): Promise<RoleRequestView> {
    const row = await this.repo.findById(query.requestId);
    if (!row) throw REFUSALS.noSuchRequest();
    const officials = await this.repo.securityOfficials(row.organizationId);
    // Whoever decided it may see it too: an official removed right after deciding is still answered
    // with the decision they made (issue 14's race of a decision with the removal of its decider).
    const allowed =
      row.requesterId === query.viewerId ||
      row.decidedById === query.viewerId ||
      officials.some((o) => o.id === query.viewerId) ||
      (await this.repo.findUser(query.viewerId))?.platformRole === 'HELP_DESK';
    if (!allowed) {
      throw new DomainError(ERROR_CODES.FORBIDDEN, 'Only the requester, the Security Officials of the organization and the help desk can see this request');
    }
    const view = toRoleRequestView(row, officials);
    return row.requesterId === query.viewerId ? asRequesterSeesIt(view, row) : view;
  }

  /**
   * Records the decision and, on approve, grants the role, in one short transaction: the statement
   * that locks the organization reads the request; who may decide is checked against the officials
   * as they are under that lock; what is returned is built from what was read and written.
   * Idempotent: the same decision by the same decider, retried, returns what was recorded.
   */
  async recordDecision(cmd: RecordDecisionInput): Promise<DecisionRecord> {
    // The decider is who the gateway's proof says, for this decision on this request (issue 14).
    await this.proofs.verify(cmd.proof, {
      action: cmd.decision === 'APPROVE' ? 'role-request.approve' : 'role-request.deny',
      target: proofTarget.request(cmd.requestId),
      actorId: cmd.deciderId,
      acceptedAt: cmd.acceptedAt,
    });
    const status = cmd.decision === 'APPROVE' ? 'APPROVED' : 'DENIED';
    return this.repo.inTransaction(async (tx) => {
      const row = await this.repo.lockForDecision(cmd.requestId, tx);
      if (!row) throw REFUSALS.noSuchRequest();
      const officials = await this.repo.securityOfficials(row.organizationId, tx);
      if (row.status === status && row.decidedBy?.id === cmd.deciderId) return decisionRecordOf(row, officials);
      if (row.status !== 'PENDING') throw alreadyDecided(row);
      const decider = await this.assertMayDecide(row, cmd.deciderId, officials, tx);
      const reasonCode = status === 'DENIED' ? (cmd.reasonCode ?? 'OTHER') : null;
      const decidedAt = new Date();
      // A denial with an undo window is final only once the window closes (issue 17); approvals grant at once.
      const undoUntil = status === 'DENIED' && cmd.undoWindowMs ? new Date(decidedAt.getTime() + cmd.undoWindowMs) : null;
      const decided = { status, decidedById: decider.id, reason: cmd.reason ?? null, reasonCode, decidedAt, undoUntil } as const;
      if (!(await this.repo.decideIfPending(row.id, decided, tx))) throw alreadyDecided((await this.repo.lockForDecision(row.id, tx))!);
      if (status === 'APPROVED') await this.repo.grantRole(row.requesterId, row.organizationId, row.role, tx);
      await this.audit.append(
        {
          action: status === 'APPROVED' ? 'role-request.approved' : 'role-request.denied',
          actorId: cmd.deciderId,
          organizationId: row.organizationId,
          subjectId: row.id,
          details: {
            role: row.role,
            requesterId: row.requesterId,
            ...(reasonCode ? { reasonCode } : {}),
            ...(cmd.reason ? { reason: cmd.reason } : {}),
            ...(undoUntil ? { undoUntil: undoUntil.toISOString() } : {}),
          },
        },
        tx,
      );
      return decisionRecordOf({ ...row, ...decided, decidedBy: decider }, officials);
    });
  }

  /**
   * Undoes a denial inside its undo window (issue 17), in one short transaction under the same lock
   * as deciding: the request is PENDING again and back in every approver's queue. Any approver of
   * the request may (the decider included); the window must have been open when the workflow
   * accepted the undo. Idempotent: a retry by the same approver returns the undo it recorded.
   */
  async undoDecision(cmd: UndoDecisionInput): Promise<UndoRecord> {
    await this.proofs.verify(cmd.proof, { action: 'role-request.undo', target: proofTarget.request(cmd.requestId), actorId: cmd.actorId, acceptedAt: cmd.acceptedAt });
    const acceptedAt = new Date(cmd.acceptedAt);
    return this.repo
      .inTransaction(async (tx) => {
        const row = await this.repo.lockForDecision(cmd.requestId, tx);
        if (!row) throw REFUSALS.noSuchRequest();
        const officials = await this.repo.securityOfficials(row.organizationId, tx);
        const actor = await this.assertMayDecide(row, cmd.actorId, officials, tx);
        if (row.status === 'PENDING') {
          const recorded = await this.repo.lastUndo(row.id, tx);
          if (recorded?.actorId === cmd.actorId) return undoRecordOf(row, officials, actor, recorded.occurredAt, recorded.details as UndoneDenial);
        }
        if (row.status !== 'DENIED' || !row.decidedAt || !row.decidedBy) throw REFUSALS.notUndoable(row.status);
        if (!row.undoUntil || row.undoUntil <= acceptedAt) throw REFUSALS.undoWindowClosed((row.undoUntil ?? row.decidedAt).toISOString());
        const held = await this.repo.findAssignment(row.requesterId, row.organizationId, tx);
        if (held && (held.role === row.role || held.role === 'SECURITY_OFFICIAL')) {
          throw new DomainError(ERROR_CODES.ROLE_ALREADY_HELD, `${row.requester.displayName} holds the ${ROLE_LABELS[held.role]} role at ${row.organization.name} since: there is nothing to undo`, undefined);
        }
        if (!(await this.repo.undoDenialIfOpen(row.id, acceptedAt, tx))) throw REFUSALS.notUndoable(row.status);
        const undone: UndoneDenial = {
          role: row.role,
          requesterId: row.requesterId,
          undone: { status: 'DENIED', decidedById: row.decidedBy.id, decidedBy: row.decidedBy.displayName, decidedAt: row.decidedAt.toISOString(), reasonCode: row.reasonCode, reason: row.reason },
        };
        const event = await this.audit.append(
          { action: 'role-request.decision-undone', actorId: actor.id, organizationId: row.organizationId, subjectId: row.id, details: undone },
          tx,
        );
        return undoRecordOf(row, officials, actor, event.occurredAt, undone);
      })
      .catch((err: unknown) => {
        if (!isUniqueViolation(err)) throw err;
        // The requester submitted again after the denial: a second pending request would break rule 1.
        throw new DomainError(ERROR_CODES.DUPLICATE_PENDING_REQUEST, 'The requester has submitted a new request at this organization since the denial: decide that one instead');
      });
  }

  /** Who a request concerns now, for the workflow's notices: read afresh each time (approvers change). */
  async parties(requestId: string): Promise<RequestParties> {
    const row = await this.repo.findById(requestId);
    if (!row) throw REFUSALS.noSuchRequest();
    const [securityOfficials, helpDesk] = await Promise.all([this.repo.securityOfficials(row.organizationId), this.repo.helpDesk()]);
    return partiesOf(row, securityOfficials, helpDesk);
  }

  /**
   * Rule 8: the requester withdraws a pending request, in one short transaction. Returns the
   * withdrawn request as its requester sees it and who could have decided it (to be told).
   * Idempotent: a retry returns what was recorded.
   */
  async withdraw(cmd: WithdrawRequestInput): Promise<ClosureRecord> {
    await this.proofs.verify(cmd.proof, {
      action: 'role-request.withdraw',
      target: proofTarget.request(cmd.requestId),
      actorId: cmd.requesterId,
      acceptedAt: cmd.acceptedAt,
    });
    return this.repo.inTransaction(async (tx) => {
      const row = await this.repo.lockForDecision(cmd.requestId, tx);
      if (!row) throw REFUSALS.noSuchRequest();
      if (row.requesterId !== cmd.requesterId) throw REFUSALS.notTheRequester();
      const officials = await this.repo.securityOfficials(row.organizationId, tx);
      const approvers = officials.length ? officials : await this.repo.helpDesk(tx);
      if (row.status === 'WITHDRAWN') return closureRecordOf(row, officials, approvers);
      // A denial inside its undo window was never told to the requester: their withdrawal supersedes it (issue 17).
      const acceptedAt = cmd.acceptedAt ? new Date(cmd.acceptedAt) : new Date();
      const superseded = inUndoWindow(row, acceptedAt) && row.decidedBy && row.decidedAt ? { deniedById: row.decidedBy.id, deniedAt: row.decidedAt.toISOString(), reasonCode: row.reasonCode } : null;
      if (row.status !== 'PENDING' && !superseded) throw alreadyDecided(row);
      const closed = { status: 'WITHDRAWN', decidedById: cmd.requesterId, decidedAt: new Date() } as const;
      if (!(await this.repo.withdrawIfOpen(row.id, closed, acceptedAt, tx))) throw alreadyDecided((await this.repo.lockForDecision(row.id, tx))!);
      await this.audit.append(
        {
          action: 'role-request.withdrawn',
          actorId: cmd.requesterId,
          organizationId: row.organizationId,
          subjectId: row.id,
          details: { role: row.role, ...(superseded ? { supersededDenial: superseded } : {}) },
        },
        tx,
      );
      return closureRecordOf({ ...row, ...closed, reason: null, reasonCode: null, undoUntil: null, decidedBy: row.requester }, officials, approvers);
    });
  }

  /** Rule 7: a request nobody decided in time expires. Idempotent: a retry returns what was recorded. */
  async expire(cmd: { requestId: string }): Promise<ClosureRecord> {
    return this.repo.inTransaction(async (tx) => {
      const row = await this.repo.findById(cmd.requestId, tx);
      if (!row) throw REFUSALS.noSuchRequest();
      if (row.status === 'EXPIRED') return toClosureRecord(row);
      const decidedAt = new Date();
      const won = await this.repo.closeIfPending(row.id, { status: 'EXPIRED', decidedById: null, decidedAt }, tx);
      if (!won) throw alreadyDecided((await this.repo.findById(row.id, tx))!);
      await this.audit.append(
        {
          action: 'role-request.expired',
          actorId: null,
          organizationId: row.organizationId,
          subjectId: row.id,
          details: { role: row.role, requesterId: row.requesterId, submittedAt: row.createdAt.toISOString() },
        },
        tx,
      );
      return { requestId: row.id, status: 'EXPIRED', closedAt: decidedAt.toISOString() };
    });
  }

  /** Audits a reminder (and the escalation that came with it) once, however often the activity is retried. */
  async recordReminder(cmd: RecordReminderInput): Promise<void> {
    await this.repo.inTransaction(async (tx) => {
      const row = await this.repo.findById(cmd.requestId, tx);
      if (!row) throw REFUSALS.noSuchRequest();
      if (await this.repo.reminderAudited(row.id, cmd.reminder, tx)) return;
      if (cmd.nextReminderAt !== undefined) await this.repo.setNextReminder(row.id, cmd.nextReminderAt ? new Date(cmd.nextReminderAt) : null, tx);
      const base = { actorId: null, organizationId: row.organizationId, subjectId: row.id };
      await this.audit.append({ ...base, action: 'role-request.reminded', details: { reminder: cmd.reminder, notified: cmd.notified } }, tx);
      if (cmd.escalated) await this.audit.append({ ...base, action: 'role-request.escalated', details: { afterReminder: cmd.reminder } }, tx);
    });
  }

  /** Rules 3-5: only a current Security Official (or the help desk where there is none), never one's own. Returns the decider. */
  private async assertMayDecide(row: LockedRequest, deciderId: string, officials: Person[], tx: Tx): Promise<Person> {
    if (row.requesterId === deciderId) throw REFUSALS.ownRequest();
    const official = officials.find((o) => o.id === deciderId);
    if (official) return official;
    if (officials.length === 0) {
      const decider = await this.repo.findUser(deciderId, tx);
      if (decider?.platformRole === 'HELP_DESK') return { id: decider.id, displayName: decider.displayName, email: decider.email };
      throw new DomainError(ERROR_CODES.FORBIDDEN, `${row.organization.name} has no Security Official: the help desk decides this request`);
    }
    throw new DomainError(ERROR_CODES.FORBIDDEN, `Only a Security Official of ${row.organization.name} can decide this request`);
  }
}

/** 409: who closed the request, what they did, when (rule 5). */
function alreadyDecided(row: Pick<LockedRequest, 'status' | 'decidedBy' | 'decidedAt'>): DomainError {
  return REFUSALS.alreadyClosed({ status: row.status, closedBy: row.decidedBy, closedAt: row.decidedAt?.toISOString() ?? null });
}

function partiesOf(row: RoleRequestRow, securityOfficials: Person[], helpDesk: Person[]): RequestParties {
  return {
    requestId: row.id,
    status: row.status,
    role: row.role,
    justification: row.justification,
    submittedAt: row.createdAt.toISOString(),
    requester: row.requester,
    organization: { id: row.organization.id, name: row.organization.name },
    securityOfficials,
    helpDesk,
  };
}

function toClosureRecord(row: RoleRequestRow): ClosureRecord {
  if ((row.status !== 'WITHDRAWN' && row.status !== 'EXPIRED') || !row.decidedAt) throw new Error(`Request ${row.id} is not closed`);
  return { requestId: row.id, status: row.status, closedAt: row.decidedAt.toISOString() };
}

function closureRecordOf(row: LockedRequest, officials: Person[], approvers: Person[]): ClosureRecord {
  if ((row.status !== 'WITHDRAWN' && row.status !== 'EXPIRED') || !row.decidedAt) throw new Error(`Request ${row.id} is not closed`);
  return { requestId: row.id, status: row.status, closedAt: row.decidedAt.toISOString(), view: toRoleRequestView(row, officials), approvers };
}

/** What the audit keeps of an undone denial (and what a retried undo is answered from). */
type UndoneDenial = {
  role: string;
  requesterId: string;
  undone: { status: 'DENIED'; decidedById: string; decidedBy: string; decidedAt: string; reasonCode: string | null; reason: string | null };
};

function undoRecordOf(row: LockedRequest, officials: Person[], actor: Person, undoneAt: Date, d: UndoneDenial): UndoRecord {
  const pending = { ...row, status: 'PENDING', decidedById: null, decidedBy: null, decidedAt: null, reason: null, reasonCode: null, undoUntil: null } as const;
  return {
    requestId: row.id,
    undoneAt: undoneAt.toISOString(),
    undoneBy: actor,
    undone: { deciderId: d.undone.decidedById, deciderName: d.undone.decidedBy, decidedAt: d.undone.decidedAt, reasonCode: (d.undone.reasonCode as DenyReasonCode | null) ?? null },
    view: toRoleRequestView(pending, officials),
  };
}

function decisionRecordOf(row: LockedRequest, officials: Person[]): DecisionRecord {
  if ((row.status !== 'APPROVED' && row.status !== 'DENIED') || !row.decidedBy || !row.decidedAt) {
    throw new Error(`Request ${row.id} is not decided`);
  }
  return {
    requestId: row.id,
    status: row.status,
    role: row.role,
    reason: row.reason,
    reasonCode: (row.reasonCode as DenyReasonCode | null) ?? null,
    decidedAt: row.decidedAt.toISOString(),
    undoUntil: row.undoUntil?.toISOString() ?? null,
    decider: row.decidedBy,
    requester: row.requester,
    organization: { id: row.organization.id, name: row.organization.name },
    view: toRoleRequestView(row, officials),
  };
}
