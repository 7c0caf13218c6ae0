import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * What operators filter on in Temporal's UI (e.g. `RequestStatus="PENDING" AND OrganizationId="..."`).
 * Registered as Keyword attributes by `npm start` and the tests (libs/devstack), and in production
 * by the operator (README). The client sets all four at start; the workflow keeps the status current.
 */
export const SEARCH_ATTRIBUTE_KEYS = {
  organizationId: defineSearchAttributeKey('OrganizationId', SearchAttributeType.KEYWORD),
  requesterId: defineSearchAttributeKey('RequesterId', SearchAttributeType.KEYWORD),
  requestedRole: defineSearchAttributeKey('RequestedRole', SearchAttributeType.KEYWORD),
  requestStatus: defineSearchAttributeKey('RequestStatus', SearchAttributeType.KEYWORD),
} as const;
