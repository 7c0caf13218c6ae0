import { Injectable } from '@nestjs/common';
import {
  proofTarget,
  DomainError,
  ERROR_CODES,
  MAX_PAGE_SIZE,
  type OrganizationDetailView,
  type OrganizationQuery,
  type OrganizationUsersQuery,
  type OrganizationUsersView,
  type OrganizationView,
  type Page,
  type SearchOrganizationsQuery,
  type UpdateRegistrationCommand,
} from '@am/contracts';
import { CallerProofVerifier } from '@am/service-kit';
import { AuditRepository } from '../audit/audit.repository';
import { CoverageService } from '../coverage/coverage.service';
import type { Organization } from '../generated/prisma/client';
import { toOrganizationView, toPendingDecision } from './organization.mapper';
import { OrganizationsRepository } from './organizations.repository';
import { pageBounds } from './pagination';
import { RegistrationPolicy } from './registration.policy';

/** Finding organizations, who is connected to them, and their registration (rule 11). */
@Injectable()
export class OrganizationsService {
  constructor(
    private readonly repo: OrganizationsRepository,
    private readonly audit: AuditRepository,
    private readonly registration: RegistrationPolicy,
    private readonly proofs: CallerProofVerifier,
    private readonly coverage: CoverageService,
  ) {}

  async search(query: SearchOrganizationsQuery): Promise<Page<OrganizationView>> {
    const { page, pageSize, skip } = pageBounds(query);
    const [rows, total] = await this.repo.search({ q: query.q?.trim() || undefined, type: query.type }, skip, pageSize);
    const officialAt = await this.officialAt(query.viewerId, rows);
    return { items: rows.map((o) => this.view(o, officialAt.has(o.id))), page, pageSize, total };
  }

  /** One organization, with its approver coverage (issue 18). */
  async get(query: OrganizationQuery): Promise<OrganizationDetailView> {
    const org = await this.mustFind(query.organizationId);
    const [officialAt, coverage] = await Promise.all([this.officialAt(query.viewerId, [org]), this.coverage.ofOne(org.id)]);
    return { ...this.view(org, officialAt.has(org.id)), coverage };
  }

  /** Pending requests and connected users: for the organization's Security Officials and the help desk. */
  async users(query: OrganizationUsersQuery): Promise<OrganizationUsersView> {
    const org = await this.mustFind(query.organizationId);
    const [viewer, role] = await Promise.all([this.repo.findUser(query.viewerId), this.repo.findAssignment(query.viewerId, org.id)]);
    const official = role?.role === 'SECURITY_OFFICIAL';
    if (!official && viewer?.platformRole !== 'HELP_DESK') {
      throw new DomainError(ERROR_CODES.FORBIDDEN, `Only the Security Officials of ${org.name} and the help desk can see its users`);
    }
    const { page, pageSize, skip } = pageBounds(query);
    const [[rows, total], pending, coverage] = await Promise.all([
      this.repo.connectedUsers(org.id, skip, pageSize),
      this.repo.pendingRequests(org.id, MAX_PAGE_SIZE),
      this.coverage.ofOne(org.id),
    ]);
    return {
      organization: { ...this.view(org, official), coverage },
      pendingRequests: pending.map(toPendingDecision),
      connectedUsers: {
        items: rows.map((a) => ({ user: a.user, role: a.role, grantedAt: a.grantedAt.toISOString() })),
        page,
        pageSize,
        total,
      },
    };
  }

  /** Rule 11: a Security Official of a practice, inside the registration window; audited with before and after. */
  async updateRegistration(cmd: UpdateRegistrationCommand): Promise<OrganizationView> {
    await this.proofs.verify(cmd.proof, { action: 'organization.update-registration', target: proofTarget.organization(cmd.organizationId), actorId: cmd.userId });
    return this.repo.inTransaction(async (tx) => {
      const org = await this.mustFind(cmd.organizationId, tx);
      const role = await this.repo.findAssignment(cmd.userId, org.id, tx);
      if (role?.role !== 'SECURITY_OFFICIAL') {
        throw new DomainError(ERROR_CODES.FORBIDDEN, `Only a Security Official of ${org.name} can edit its registration`);
      }
      if (org.kind !== 'PRACTICE') {
        throw new DomainError(ERROR_CODES.REGISTRATION_NOT_APPLICABLE, 'Only practices register for the CMS Web Interface and the CAHPS for MIPS survey', 'organizationId');
      }
      if (!this.registration.isOpen()) {
        const { opens, closes } = this.registration.dates();
        throw new DomainError(ERROR_CODES.REGISTRATION_CLOSED, `Registration can be edited only during the registration period (next: ${opens} to ${closes})`, undefined, {
          opens,
          closes,
        });
      }
      const updated = await this.repo.updateRegistration(org.id, { cmsWebInterface: cmd.cmsWebInterface, cahpsSurvey: cmd.cahpsSurvey }, tx);
      await this.audit.append(
        {
          action: 'organization.registration-changed',
          actorId: cmd.userId,
          organizationId: org.id,
          subjectId: org.id,
          details: {
            before: { cmsWebInterface: org.cmsWebInterface, cahpsSurvey: org.cahpsSurvey },
            after: { cmsWebInterface: updated.cmsWebInterface, cahpsSurvey: updated.cahpsSurvey },
          },
        },
        tx,
      );
      return this.view(updated, true);
    });
  }

  private async mustFind(id: string, tx?: Parameters<OrganizationsRepository['findById']>[1]): Promise<Organization> {
    const org = await this.repo.findById(id, tx);
    if (!org) throw new DomainError(ERROR_CODES.NOT_FOUND, 'No organization has this id', 'orgId');
    return org;
  }

  private async officialAt(userId: string, orgs: Organization[]): Promise<Set<string>> {
    if (!orgs.length) return new Set();
    const roles = await this.repo.rolesAt(userId, orgs.map((o) => o.id));
    return new Set(roles.filter((r) => r.role === 'SECURITY_OFFICIAL').map((r) => r.organizationId));
  }

  private view(o: Organization, official: boolean): OrganizationView {
    return toOrganizationView(o, (org) => this.registration.view(org, official));
  }
}
