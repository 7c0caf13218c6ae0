import { Injectable } from '@nestjs/common';
import { DomainError, ERROR_CODES, type AuditCursor, type AuditEventView, type AuditQuery, type Page } from '@am/contracts';
import { pageBounds } from '../organizations/pagination';
import { OrganizationsRepository } from '../organizations/organizations.repository';
import { AuditRepository } from './audit.repository';

/** Reading the audit log: Security Officials their organizations' events, the help desk all. */
@Injectable()
export class AuditService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly orgs: OrganizationsRepository,
  ) {}

  async list(query: AuditQuery): Promise<Page<AuditEventView>> {
    const organizationIds = await this.scope(query.viewerId, query.organizationId);
    const { page, pageSize, skip } = pageBounds(query);
    const filter = { organizationIds, from: query.from ? new Date(query.from) : undefined, to: query.to ? new Date(query.to) : undefined };
    const [rows, total] = query.after
      ? ([await this.audit.listAfter(filter, cursorOf(query.after), pageSize), -1] as const)
      : await this.audit.list(filter, skip, pageSize);
    return {
      items: rows.map((e) => ({
        id: e.id.toString(),
        occurredAt: e.occurredAt.toISOString(),
        actorId: e.actorId,
        action: e.action,
        organizationId: e.organizationId,
        subjectId: e.subjectId,
        details: (e.details ?? {}) as Record<string, unknown>,
        prevHash: e.prevHash,
        hash: e.hash,
      })),
      page,
      pageSize,
      total,
    };
  }

  /** The organizations whose events the viewer may read; undefined means all (help desk, no filter). */
  private async scope(viewerId: string, organizationId?: string): Promise<string[] | undefined> {
    const viewer = await this.orgs.findUser(viewerId);
    if (viewer?.platformRole === 'HELP_DESK') return organizationId ? [organizationId] : undefined;
    const officialAt = await this.orgs.officialAt(viewerId);
    if (organizationId) {
      if (!officialAt.includes(organizationId)) {
        throw new DomainError(ERROR_CODES.FORBIDDEN, 'Only the Security Officials of this organization and the help desk can read its audit events', 'organizationId');
      }
      return [organizationId];
    }
    if (!officialAt.length) throw new DomainError(ERROR_CODES.FORBIDDEN, 'Only Security Officials (for their organizations) and the help desk can read the audit log');
    return officialAt;
  }
}

function cursorOf(after: AuditCursor): { occurredAt: Date; id: bigint } {
  const occurredAt = new Date(after.occurredAt);
  if (Number.isNaN(occurredAt.getTime()) || !/^\d{1,19}$/.test(after.id)) {
    throw new DomainError(ERROR_CODES.VALIDATION_FAILED, 'after must name an audit event: its occurredAt and id', 'after');
  }
  return { occurredAt, id: BigInt(after.id) };
}
