import { Injectable } from '@nestjs/common';
import {
  DomainError,
  ERROR_CODES,
  type CreateRoleRequestCommand,
  type GetRoleRequestQuery,
  type ListPendingQuery,
  type PendingRequestRef,
  proofTarget,
  type RoleRequestView,
} from '@am/contracts';
import { CallerProofVerifier } from '@am/service-kit';
import type { ClosureRecord, DecisionRecord, RecordDecisionInput, RequestParties, WithdrawRequestInput } from '@am/workflow-contracts';
import { AuditRepository } from '../audit/audit.repository';
import type { PrismaService, Tx } from '../prisma/prisma.service';
import { toRoleRequestView } from './role-request.mapper';
import { isUniqueViolation, RoleRequestsRepository, type RoleRequestRow } from './role-requests.repository';

const ROLE_LABEL = { SECURITY_OFFICIAL: 'Security Official', STAFF_USER: 'Staff User' } as const;

/** The rules of requesting and deciding a role (PRODUCT.md rules 1-5). */
@Injectable()
export class RoleRequestsService {
  constructor(
    private readonly repo: RoleRequestsRepository,
    private readonly audit: AuditRepository,
    private readonly proofs: CallerProofVerifier,
  ) {}

  async create(cmd: CreateRoleRequestCommand): Promise<RoleRequestView> {
    await this.proofs.verify(cmd.proof, { action: 'role-request.submit', target: proofTarget.submit(cmd.organizationId, cmd.role), actorId: cmd.requesterId });
    const org = await this.repo.findOrganization(cmd.organizationId);
    if (!org) throw new DomainError(ERROR_CODES.NOT_FOUND, 'No organization has this id', 'organizationId');
    if (org.sharedSavingsAco) {
      throw new DomainError(
        ERROR_CODES.MANAGED_IN_ACO_MS,
        `${org.name} is a Shared Savings Program ACO: its roles are managed in the ACO Management System (ACO-MS), not here`,
        'organizationId',
      );
    }
    const held = await this.repo.findAssignment(cmd.requesterId, org.id);
    if (held && (held.role === cmd.role || held.role === 'SECURITY_OFFICIAL')) {
      throw new DomainError(ERROR_CODES.ROLE_ALREADY_HELD, `You already hold the ${ROLE_LABEL[held.role]} role at ${org.name}`, 'role');
    }
    const created = await this.repo
      .inTransaction(async (tx) => {
        const row = await this.repo.create(
          { requesterId: cmd.requesterId, organizationId: org.id, role: cmd.role, justification: cmd.justification ?? null },
          tx,
        );
        await this.audit.append(
          { action: 'role-request.submitted', actorId: cmd.requesterId, organizationId: org.id, subjectId: row.id, details: { role: cmd.role } },
          tx,
        );
        return row;
      })
      .catch(async (err: unknown) => {
        // The partial unique index makes rule 1 hold even for two submissions at the same instant.
        if (!isUniqueViolation(err)) throw err;
        const pending = await this.repo.findPending(cmd.requesterId, org.id);
        throw new DomainError(
          ERROR_CODES.DUPLICATE_PENDING_REQUEST,
          `You already have a pending request at ${org.name}`,
          'organizationId',
          pending ? { pendingRequestId: pending.id, pendingRole: pending.role } : undefined,
        );
      });
    return toRoleRequestView(created, await this.repo.securityOfficials(org.id));
  }

  async get(query: GetRoleRequestQuery): Promise<RoleRequestView> {
    const row = await this.repo.findById(query.requestId);
    if (!row) throw new DomainError(ERROR_CODES.NOT_FOUND, 'No role request has this id', 'id');
    const officials = await this.repo.securityOfficials(row.organizationId);
    const viewer = await this.repo.findUser(query.viewerId);
    // Whoever decided it may see it too: an official removed right after deciding is still answered
    // with the decision they made (issue 14's race of a decision with the removal of its decider).
    const allowed =
      row.requesterId === query.viewerId ||
      row.decidedById === query.viewerId ||
      officials.some((o) => o.id === query.viewerId) ||
      viewer?.platformRole === 'HELP_DESK';
    if (!allowed) {
      throw new DomainError(ERROR_CODES.FORBIDDEN, 'Only the requester, the Security Officials of the organization and the help desk can see this request');
    }
    return toRoleRequestView(row, officials);
  }

  async listPending(query: ListPendingQuery): Promise<PendingRequestRef[]> {
    const rows = await this.repo.listPending(query.afterId, Math.min(Math.max(query.limit, 1), 1000));
    return rows.map((r) => ({ requestId: r.id, requesterId: r.requesterId, organizationId: r.organizationId, role: r.role }));
  }

  /** Answers whether this user may decide this request now; throws the reason when not. */
  async checkDecider(requestId: string, deciderId: string): Promise<RoleRequestView> {
    const row = await this.repo.findById(requestId);
    if (!row) throw new DomainError(ERROR_CODES.NOT_FOUND, 'No role request has this id', 'id');
    const officials = await this.assertMayDecide(row, deciderId);
    return toRoleRequestView(row, officials);
  }

  /**
   * Records the decision and, on approve, grants the role, in one transaction. Idempotent: the
   * same decision by the same decider, retried, returns what was recorded and changes nothing.
   */
  async recordDecision(cmd: RecordDecisionInput & { requestId: string }): Promise<DecisionRecord> {
    // The decider is who the gateway's proof says, for this decision on this request (issue 14).
    await this.proofs.verify(cmd.proof, {
      action: cmd.decision === 'APPROVE' ? 'role-request.approve' : 'role-request.deny',
      target: proofTarget.request(cmd.requestId),
      actorId: cmd.deciderId,
      acceptedAt: cmd.acceptedAt,
    });
    return this.repo.inTransaction(async (tx) => {
      // Removals take the organization's lock too: a decision and the removal of its decider are
      // serialized, so one always sees the other (issue 14). The request is read under it.
      if (!(await this.repo.lockOrganizationOf(cmd.requestId, tx))) throw new DomainError(ERROR_CODES.NOT_FOUND, 'No role request has this id', 'id');
      const row = (await this.repo.findById(cmd.requestId, tx))!;
      const status = cmd.decision === 'APPROVE' ? 'APPROVED' : 'DENIED';
      if (row.status === status && row.decidedById === cmd.deciderId) return toDecisionRecord(row);
      await this.assertMayDecide(row, cmd.deciderId, tx);
      const decidedAt = new Date();
      const won = await this.repo.decideIfPending(row.id, { status, decidedById: cmd.deciderId, reason: cmd.reason ?? null, decidedAt }, tx);
      if (!won) throw await this.alreadyDecided(row.id, tx);
      if (status === 'APPROVED') await this.repo.grantRole(row.requesterId, row.organizationId, row.role, tx);
      await this.audit.append(
        {
          action: status === 'APPROVED' ? 'role-request.approved' : 'role-request.denied',
          actorId: cmd.deciderId,
          organizationId: row.organizationId,
          subjectId: row.id,
          details: { role: row.role, requesterId: row.requesterId, ...(cmd.reason ? { reason: cmd.reason } : {}) },
        },
        tx,
      );
      const decided = await this.repo.findById(row.id, tx);
      return toDecisionRecord(decided!);
    });
  }

  /** Who a request concerns now, for the workflow's notices: read afresh each time (approvers change). */
  async parties(requestId: string): Promise<RequestParties> {
    const row = await this.repo.findById(requestId);
    if (!row) throw new DomainError(ERROR_CODES.NOT_FOUND, 'No role request has this id', 'id');
    const [securityOfficials, helpDesk] = await Promise.all([this.repo.securityOfficials(row.organizationId), this.repo.helpDesk()]);
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

  /** Rule 8: the requester withdraws a pending request. Idempotent: a retry returns what was recorded. */
  async withdraw(cmd: WithdrawRequestInput): Promise<ClosureRecord> {
    await this.proofs.verify(cmd.proof, {
      action: 'role-request.withdraw',
      target: proofTarget.request(cmd.requestId),
      actorId: cmd.requesterId,
      acceptedAt: cmd.acceptedAt,
    });
    return this.repo.inTransaction(async (tx) => {
      const row = await this.repo.findById(cmd.requestId, tx);
      if (!row) throw new DomainError(ERROR_CODES.NOT_FOUND, 'No role request has this id', 'id');
      if (row.requesterId !== cmd.requesterId) throw new DomainError(ERROR_CODES.FORBIDDEN, 'Only the requester can withdraw a request');
      if (row.status === 'WITHDRAWN') return toClosureRecord(row);
      const decidedAt = new Date();
      const won = await this.repo.closeIfPending(row.id, { status: 'WITHDRAWN', decidedById: cmd.requesterId, decidedAt }, tx);
      if (!won) throw await this.alreadyDecided(row.id, tx);
      await this.audit.append(
        { action: 'role-request.withdrawn', actorId: cmd.requesterId, organizationId: row.organizationId, subjectId: row.id, details: { role: row.role } },
        tx,
      );
      return { requestId: row.id, status: 'WITHDRAWN', closedAt: decidedAt.toISOString() };
    });
  }

  /** Rule 7: a request nobody decided in time expires. Idempotent: a retry returns what was recorded. */
  async expire(cmd: { requestId: string }): Promise<ClosureRecord> {
    return this.repo.inTransaction(async (tx) => {
      const row = await this.repo.findById(cmd.requestId, tx);
      if (!row) throw new DomainError(ERROR_CODES.NOT_FOUND, 'No role request has this id', 'id');
      if (row.status === 'EXPIRED') return toClosureRecord(row);
      const decidedAt = new Date();
      const won = await this.repo.closeIfPending(row.id, { status: 'EXPIRED', decidedById: null, decidedAt }, tx);
      if (!won) throw await this.alreadyDecided(row.id, tx);
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
  async recordReminder(cmd: { requestId: string; reminder: number; escalated: boolean; notified: string[] }): Promise<void> {
    await this.repo.inTransaction(async (tx) => {
      const row = await this.repo.findById(cmd.requestId, tx);
      if (!row) throw new DomainError(ERROR_CODES.NOT_FOUND, 'No role request has this id', 'id');
      if (await this.repo.reminderAudited(row.id, cmd.reminder, tx)) return;
      const base = { actorId: null, organizationId: row.organizationId, subjectId: row.id };
      await this.audit.append({ ...base, action: 'role-request.reminded', details: { reminder: cmd.reminder, notified: cmd.notified } }, tx);
      if (cmd.escalated) await this.audit.append({ ...base, action: 'role-request.escalated', details: { afterReminder: cmd.reminder } }, tx);
    });
  }

  /** Rules 3-5: only a current Security Official (or the help desk where there is none), never one's own. */
  private async assertMayDecide(row: RoleRequestRow, deciderId: string, tx?: Tx) {
    if (row.status !== 'PENDING') throw await this.alreadyDecided(row.id, tx);
    if (row.requesterId === deciderId) {
      throw new DomainError(ERROR_CODES.FORBIDDEN, 'Nobody can decide their own request');
    }
    const officials = await this.repo.securityOfficials(row.organizationId, tx);
    if (officials.some((o) => o.id === deciderId)) return officials;
    if (officials.length === 0) {
      const decider = await this.repo.findUser(deciderId, tx);
      if (decider?.platformRole === 'HELP_DESK') return officials;
      throw new DomainError(ERROR_CODES.FORBIDDEN, `${row.organization.name} has no Security Official: the help desk decides this request`);
    }
    throw new DomainError(ERROR_CODES.FORBIDDEN, `Only a Security Official of ${row.organization.name} can decide this request`);
  }

  private async alreadyDecided(requestId: string, tx?: Tx | PrismaService): Promise<DomainError> {
    const row = await this.repo.findById(requestId, tx);
    const who = row?.decidedBy?.displayName ?? 'someone';
    const what = row?.status.toLowerCase() ?? 'decided';
    const when = row?.decidedAt?.toISOString() ?? row?.updatedAt.toISOString();
    const message = row?.status === 'EXPIRED' ? `This request expired undecided at ${when}` : `This request was already ${what} by ${who} at ${when}`;
    return new DomainError(ERROR_CODES.ALREADY_DECIDED, message, undefined, {
      status: row?.status,
      decidedBy: row?.decidedBy?.displayName ?? null,
      decidedById: row?.decidedBy?.id ?? null,
      decidedAt: row?.decidedAt?.toISOString() ?? null,
    });
  }
}

function toClosureRecord(row: RoleRequestRow): ClosureRecord {
  if ((row.status !== 'WITHDRAWN' && row.status !== 'EXPIRED') || !row.decidedAt) throw new Error(`Request ${row.id} is not closed`);
  return { requestId: row.id, status: row.status, closedAt: row.decidedAt.toISOString() };
}

function toDecisionRecord(row: RoleRequestRow): DecisionRecord {
  if ((row.status !== 'APPROVED' && row.status !== 'DENIED') || !row.decidedBy || !row.decidedAt) {
    throw new Error(`Request ${row.id} is not decided`);
  }
  return {
    requestId: row.id,
    status: row.status,
    role: row.role,
    reason: row.reason,
    decidedAt: row.decidedAt.toISOString(),
    decider: row.decidedBy,
    requester: row.requester,
    organization: { id: row.organization.id, name: row.organization.name },
  };
}
