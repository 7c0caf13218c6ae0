import { Injectable } from '@nestjs/common';
import { DomainError, ERROR_CODES, proofTarget, REFUSALS, ROLE_LABELS, type RemovalRecord, type RemoveAccessCommand } from '@am/contracts';
import { CallerProofVerifier } from '@am/service-kit';
import { AuditRepository } from '../audit/audit.repository';
import type { Organization } from '../generated/prisma/client';
import { OrganizationsRepository } from './organizations.repository';

/**
 * Rules 9 and 10: a Security Official (or the help desk) removes a connected user's access; nobody
 * removes their own; the only Security Official goes only by the help desk's hand, with a reason.
 */
@Injectable()
export class RemovalService {
  constructor(
    private readonly repo: OrganizationsRepository,
    private readonly audit: AuditRepository,
    private readonly proofs: CallerProofVerifier,
  ) {}

  async remove(cmd: RemoveAccessCommand & { acceptedAt?: string }): Promise<RemovalRecord> {
    // The remover is who the gateway's proof says, for this user at this organization (issue 14).
    await this.proofs.verify(cmd.proof, {
      action: 'access.remove',
      target: proofTarget.removal(cmd.organizationId, cmd.userId),
      actorId: cmd.removedById,
      acceptedAt: cmd.acceptedAt,
    });
    const reason = cmd.reason?.trim() || null;
    return this.repo.inTransaction(async (tx) => {
      if (cmd.removalId) {
        const recorded = await this.audit.findRemoval(cmd.removalId, tx);
        if (recorded) return recorded.details as unknown as RemovalRecord;
      }
      const org = await this.repo.findById(cmd.organizationId, tx);
      if (!org) throw REFUSALS.noSuchOrganization('orgId');
      if (org.sharedSavingsAco) throw acoRefusal(org);
      if (cmd.removedById === cmd.userId) {
        throw new DomainError(ERROR_CODES.FORBIDDEN, 'You cannot remove your own access: ask another Security Official of this organization');
      }
      // Everything below reads the organization's assignments under its lock: concurrent removals queue here.
      await this.repo.lock(org.id, tx);
      const [remover, removerRole, target] = await Promise.all([
        this.repo.findUser(cmd.removedById, tx),
        this.repo.findAssignment(cmd.removedById, org.id, tx),
        this.repo.findAssignment(cmd.userId, org.id, tx),
      ]);
      const helpDesk = remover?.platformRole === 'HELP_DESK';
      if (!remover || (!helpDesk && removerRole?.role !== 'SECURITY_OFFICIAL')) {
        throw new DomainError(ERROR_CODES.FORBIDDEN, `Only a Security Official of ${org.name} or the help desk can remove access there`);
      }
      if (!target) throw new DomainError(ERROR_CODES.NOT_FOUND, `This user holds no role at ${org.name}`, 'userId');
      const lastOfficial = target.role === 'SECURITY_OFFICIAL' && (await this.repo.countSecurityOfficials(org.id, tx)) === 1;
      if (lastOfficial && !helpDesk) {
        throw new DomainError(ERROR_CODES.FORBIDDEN, `${target.user.displayName} is the only Security Official of ${org.name}: only the help desk can remove them`);
      }
      if (lastOfficial && !reason) {
        throw new DomainError(ERROR_CODES.VALIDATION_FAILED, 'reason is required to remove the only Security Official of an organization', 'reason');
      }
      await this.repo.deleteAssignment(target.id, tx);
      const record: RemovalRecord = {
        removalId: cmd.removalId ?? null,
        organization: { id: org.id, name: org.name },
        user: target.user,
        role: target.role,
        removedBy: { id: remover.id, displayName: remover.displayName },
        reason,
        removedAt: new Date().toISOString(),
      };
      await this.audit.append(
        {
          action: 'access.removed',
          actorId: remover.id,
          organizationId: org.id,
          subjectId: target.user.id,
          details: { ...record, lastSecurityOfficial: lastOfficial, roleLabel: ROLE_LABELS[target.role] },
        },
        tx,
      );
      return record;
    });
  }
}

function acoRefusal(org: Organization): DomainError {
  return new DomainError(
    ERROR_CODES.MANAGED_IN_ACO_MS,
    `${org.name} is a Shared Savings Program ACO: its roles are managed in the ACO Management System (ACO-MS), not here`,
    'orgId',
  );
}
