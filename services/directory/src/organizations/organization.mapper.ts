import type { OrganizationSummary, OrganizationView, PendingDecisionView, RegistrationView } from '@am/contracts';
import type { Organization, RoleRequest, User } from '../generated/prisma/client';

export function toSummary(o: Organization): OrganizationSummary {
  return { id: o.id, kind: o.kind, identifier: o.identifier, name: o.name };
}

/** Registration belongs to practices only (PRODUCT.md section 1). */
export function toOrganizationView(o: Organization, registration: (o: Organization) => RegistrationView): OrganizationView {
  return { ...toSummary(o), address: o.address, sharedSavingsAco: o.sharedSavingsAco, registration: o.kind === 'PRACTICE' ? registration(o) : null };
}

export function toPendingDecision(r: RoleRequest & { requester: Pick<User, 'id' | 'displayName' | 'email'>; organization: Organization }): PendingDecisionView {
  return {
    requestId: r.id,
    role: r.role,
    justification: r.justification,
    createdAt: r.createdAt.toISOString(),
    requester: { id: r.requester.id, displayName: r.requester.displayName, email: r.requester.email },
    organization: toSummary(r.organization),
  };
}

