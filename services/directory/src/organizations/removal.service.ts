import { Injectable } from '@nestjs/common';
import { DomainError, ERROR_CODES, proofTarget, REFUSALS, ROLE_LABELS, type RemovalRecord, type RemoveAccessCommand } from '@am/contracts';
import { CallerProofVerifier } from '@am/service-kit';
import { AccessReviewsRepository } from '../access-reviews/access-reviews.repository';
import { AuditRepository } from '../audit/audit.repository';
import type { Tx } from '../prisma/prisma.service';
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
    private readonly reviews: AccessReviewsRepository,
  ) {}

  async remove(cmd: RemoveAccessCommand & { acceptedAt?: string; accessReview?: { reviewId: string; byPolicy: boolean } }): Promise<RemovalRecord> {
    const review = cmd.accessReview;
    if (review && !cmd.removalId) throw new DomainError(ERROR_CODES.VALIDATION_FAILED, 'A review’s removal is named by its removalId', 'removalId');
    if (!review?.byPolicy) {
      // The remover is who the gateway's proof says, for this user at this organization (issue 14);
      // a review's REMOVE carries the decider's proof for that review (issue 18).
      await this.proofs.verify(cmd.proof, {
        action: review ? 'access-review.decide' : 'access.remove',
        target: review ? proofTarget.accessReview(review.reviewId) : proofTarget.removal(cmd.organizationId, cmd.userId),
        actorId: cmd.removedById,
        acceptedAt: cmd.acceptedAt,
      });
    }
    const reason = cmd.reason?.trim() || null;
    return this.repo.inTransaction(async (tx) => {
      if (cmd.removalId) {
        const recorded = await this.audit.findRemoval(cmd.removalId, tx);
        if (recorded) return recorded.details as unknown as RemovalRecord;
      }
      const org = await this.repo.findById(cmd.organizationId, tx);
      if (!org) throw REFUSALS.noSuchOrganization('orgId');
      if (org.sharedSavingsAco) throw acoRefusal(org);
      if (!review?.byPolicy && cmd.removedById === cmd.userId) {
        throw new DomainError(ERROR_CODES.FORBIDDEN, 'You cannot remove your own access: ask another Security Official of this organization');
      }
      // Everything below reads the organization's assignments under its lock: concurrent removals queue here.
      await this.repo.lock(org.id, tx);
      if (review) await this.checkReviewDecided(cmd, review, tx);
      const [person, removerRole, target] = await Promise.all([
        review?.byPolicy ? null : this.repo.findUser(cmd.removedById, tx),
        review?.byPolicy ? null : this.repo.findAssignment(cmd.removedById, org.id, tx),
        this.repo.findAssignment(cmd.userId, org.id, tx),
      ]);
      // The unreviewed policy of an access review removes by no one's hand: its record names the review.
      const remover = review?.byPolicy ? { id: review.reviewId, displayName: `The access review of ${org.name}`, platformRole: null } : person;
      const helpDesk = remover?.platformRole === 'HELP_DESK';
      if (!remover || (!helpDesk && !review?.byPolicy && removerRole?.role !== 'SECURITY_OFFICIAL')) {
        throw new DomainError(ERROR_CODES.FORBIDDEN, `Only a Security Official of ${org.name} or the help desk can remove access there`);
      }
      if (!target) throw new DomainError(ERROR_CODES.NOT_FOUND, `This user holds no role at ${org.name}`, 'userId');
      const lastOfficial = target.role === 'SECURITY_OFFICIAL' && (await this.repo.countSecurityOfficials(org.id, tx)) === 1;
      if (lastOfficial && review) {
        throw new DomainError(ERROR_CODES.FORBIDDEN, `${target.user.displayName} is the only Security Official of ${org.name}: a review never removes the last one`);
      }
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
      if (review) await this.reviews.settleRemoval(cmd.removalId!, 'REMOVED', null, tx);
      await this.audit.append(
        {
          action: 'access.removed',
          actorId: review?.byPolicy ? null : remover.id,
          organizationId: org.id,
          subjectId: target.user.id,
          details: { ...record, lastSecurityOfficial: lastOfficial, roleLabel: ROLE_LABELS[target.role], ...(review ? { accessReview: review } : {}) },
        },
        tx,
      );
      return record;
    });
  }

  private async checkReviewDecided(cmd: RemoveAccessCommand, review: { reviewId: string; byPolicy: boolean }, tx: Tx) {
    const item = await this.reviews.findItemByRemoval(cmd.removalId!, tx);
    const decided =
      item &&
      item.reviewId === review.reviewId &&
      item.review.organizationId === cmd.organizationId &&
      item.userId === cmd.userId &&
      item.decision === 'REMOVE' &&
      item.removalStatus === 'PENDING' &&
      item.decidedByPolicy === review.byPolicy &&
      (review.byPolicy || item.decidedById === cmd.removedById);
    if (!decided) throw new DomainError(ERROR_CODES.FORBIDDEN, 'This removal is not one the access review decided');
  }
}

function acoRefusal(org: Organization): DomainError {
  return new DomainError(
    ERROR_CODES.MANAGED_IN_ACO_MS,
    `${org.name} is a Shared Savings Program ACO: its roles are managed in the ACO Management System (ACO-MS), not here`,
    'orgId',
  );
}
