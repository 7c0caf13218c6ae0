import { Injectable } from '@nestjs/common';
import { WEBHOOK_PAYLOAD_VERSION, type WebhookEventType, type WebhookPayload } from '@am/contracts';
import type { Tx } from '../prisma/prisma.service';
import { toRoleRequestView } from '../role-requests/role-request.mapper';
import { RoleRequestsRepository } from '../role-requests/role-requests.repository';
import { EVENT_OF_ACTION, WebhooksRepository, type AuditEventRow } from './webhooks.repository';

/** An audit event's details, as the service that recorded it wrote them (the audit log's JSON). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- read field by field below, each with its fallback
type Details = Record<string, any>;
const person = (p: { id: string; displayName: string } | null | undefined) => (p ? { id: p.id, displayName: p.displayName } : null);

/** The public id of an event: `evt_` and its audit event's id (the same for every subscription). */
export const eventIdOf = (auditEventId: bigint) => `evt_${auditEventId.toString()}`;

/**
 * What each event says (issue 20): the request, organization and people as the public API shows
 * them (a RoleRequestView as GET /role-requests/{id} answers an approver; people by id and name),
 * never an email address, a secret or an internal note. Read in the dispatcher's transaction, a
 * moment after the event: the request is as it stands then, and `type` and the event's own fields
 * (`decision`, `undone`) say what happened.
 */
@Injectable()
export class WebhookEvents {
  constructor(
    private readonly repo: WebhooksRepository,
    private readonly requests: RoleRequestsRepository,
  ) {}

  async payloadOf(event: AuditEventRow, tx: Tx): Promise<WebhookPayload> {
    const type = EVENT_OF_ACTION[event.action] as WebhookEventType;
    return {
      id: eventIdOf(event.id),
      type,
      version: WEBHOOK_PAYLOAD_VERSION,
      timestamp: event.occurredAt.toISOString(),
      organizationId: event.organizationId,
      data: await this.dataOf(type, event, tx),
    };
  }

  private async dataOf(type: WebhookEventType, event: AuditEventRow, tx: Tx): Promise<Record<string, unknown>> {
    const details = (event.details ?? {}) as Details;
    switch (type) {
      case 'role-request.submitted':
      case 'role-request.decided':
      case 'role-request.withdrawn':
      case 'role-request.expired':
      case 'role-request.decision-undone': {
        const row = await this.requests.findById(event.subjectId!, tx);
        const request = row ? toRoleRequestView(row, await this.requests.securityOfficials(row.organizationId, tx)) : null;
        const [actor] = event.actorId ? await this.repo.people([event.actorId], tx) : [];
        return {
          request,
          actor: person(actor),
          ...(type === 'role-request.decided' ? { decision: event.action === 'role-request.approved' ? 'APPROVED' : 'DENIED' } : {}),
          ...(type === 'role-request.decision-undone' && details.undone
            ? { undone: { status: 'DENIED', decidedBy: { id: details.undone.decidedById, displayName: details.undone.decidedBy }, decidedAt: details.undone.decidedAt, reasonCode: details.undone.reasonCode ?? null } }
            : {}),
        };
      }
      case 'access.removed':
        return {
          organization: details.organization ? { id: details.organization.id, name: details.organization.name } : null,
          user: person(details.user),
          role: details.role ?? null,
          removedBy: event.actorId ? person(details.removedBy) : null,
          removedAt: details.removedAt ?? event.occurredAt.toISOString(),
          ...(details.accessReview ? { accessReview: { id: details.accessReview.reviewId, byPolicy: Boolean(details.accessReview.byPolicy) } } : {}),
        };
      case 'nomination.accepted': {
        const n = await this.repo.nomination(event.subjectId!, tx);
        const ids = n ? [n.nomineeId, n.nominatedById] : [];
        const people = new Map((await this.repo.people(ids, tx)).map((p) => [p.id, p]));
        const org = n ? await this.repo.organizationName(n.organizationId, tx) : null;
        return {
          nomination: n
            ? { id: n.id, organization: org, nominee: person(people.get(n.nomineeId)), nominatedBy: person(people.get(n.nominatedById)), role: 'SECURITY_OFFICIAL', respondedAt: n.respondedAt?.toISOString() ?? null }
            : { id: event.subjectId },
        };
      }
      case 'access-review.completed': {
        const r = await this.repo.accessReview(event.subjectId!, tx);
        const org = r ? await this.repo.organizationName(r.organizationId, tx) : null;
        return {
          accessReview: {
            id: event.subjectId,
            campaignId: details.campaignId ?? r?.campaignId ?? null,
            organization: org,
            dueAt: r?.dueAt.toISOString() ?? null,
            completedAt: r?.completedAt?.toISOString() ?? event.occurredAt.toISOString(),
            kept: details.kept ?? 0,
            removed: details.removed ?? 0,
            refused: details.refused ?? 0,
            undecided: details.undecided ?? 0,
            total: details.total ?? 0,
          },
        };
      }
    }
  }
}
