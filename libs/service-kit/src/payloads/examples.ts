import type { z } from 'zod';
import type { accessWorkflowsPayloads } from './access-workflows';
import type { directoryPayloads } from './directory';
import type { notificationsPayloads } from './notifications';

/**
 * One valid message of each pattern, as the gateway (or access-workflows) sends it: what a message
 * looks like, and the starting point of the tests that break each field.
 */
const user = '2d9c6b5a-7e3f-4a0c-9b4d-8f5e3c4a6d72';
const other = '5a2f9e8d-0b6c-4d3f-8e7a-1c8b6f7d9a05';
const org = '0b7a4f3e-5c1d-4e8a-9f2b-6d3c1a2e4b50';
const request = '7c4b1a0f-2d8e-4f5b-8a9c-3e0d8b9f1c27';
const token = '8d5c2b1a-3e9f-4a6c-9b0d-4f1e9c0a2d38';
const proof = 'eyJhbGciOiJFZERTQSIsImtpZCI6ImdhdGV3YXktMSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
const expiresAt = '2026-03-02T14:05:09.123Z';

type Examples<T extends Record<string, z.ZodType>> = { [K in keyof T]: z.input<T[K]> };

export const directoryPayloadExamples: Examples<typeof directoryPayloads> = {
  verifyPassword: { loginId: 'jane.doe', password: 'correct horse battery staple', statementOfTruthVersion: '2019-07-01' },
  verifySecondFactor: { userId: user, tokenId: token, tokenExpiresAt: expiresAt, proof, code: '123456', sessionTtlSeconds: 900 },
  checkSession: { sessionId: token },
  signOut: { sessionId: token },
  issueTotpSecret: { userId: user, tokenId: token, proof },
  confirmTotpEnrollment: { userId: user, tokenId: token, tokenExpiresAt: expiresAt, proof, code: '123456', sessionTtlSeconds: 900 },
  register: { loginId: 'jane.doe', displayName: 'Jane Doe', email: 'jane@example.com', password: 'correct horse battery staple' },
  verifyEmail: { token: 'Zm9vYmFyYmF6cXV4cXV1eA' },
  forgotUserId: { email: 'jane@example.com' },
  forgotPassword: { loginId: 'jane.doe' },
  resetPassword: { token: 'Zm9vYmFyYmF6cXV4cXV1eA', password: 'correct horse battery staple' },
  getAccount: { viewerId: other, user: 'jane.doe' },
  disableAccount: { actorId: other, user: 'jane.doe', reason: 'Left the practice', proof },
  enableAccount: { actorId: other, user: user, reason: 'Back at the practice', proof },
  resetTwoFactor: { actorId: other, user: 'jane.doe', reason: 'Lost her phone', proof },
  idempotencyBegin: { principal: user, key: 'retry-1', method: 'POST', path: '/api/v1/role-requests', requestHash: 'a'.repeat(64) },
  idempotencyFinish: { principal: user, key: 'retry-1', statusCode: 201, response: { id: request } },
  idempotencyAbandon: { principal: `api-key:${other}:${user}`, key: 'retry-1' },
  createApiKey: { createdById: other, name: 'Registry integration', scopes: ['organizations:read'], rateLimitPerMinute: 60, proof },
  listApiKeys: { viewerId: other },
  revokeApiKey: { id: token, viewerId: other, proof },
  verifyApiKey: { key: `am_0123456789ab_${'k'.repeat(43)}`, onBehalfOf: 'jane.doe' },
  getMe: { userId: user },
  getEmailPreferences: { userId: user },
  updateEmailPreferences: { userId: user, emailDigest: 'daily', digestHour: 7, timeZone: 'Asia/Kolkata', proof },
  getRoleRequest: { requestId: request, viewerId: user },
  getNomination: { nominationId: request, viewerId: user },
  myNominations: { userId: user },
  getAccessReview: { id: request, viewerId: user, page: 1, pageSize: 50 },
  listAccessReviewCampaigns: { viewerId: other, page: 1, pageSize: 20 },
  myAccessReviews: { userId: user },
  manageAccess: { userId: user, name: 'Clinic', page: 1, pageSize: 50 },
  searchOrganizations: { q: 'Clinic', type: 'PRACTICE', viewerId: user, page: 2, pageSize: 20 },
  getOrganization: { organizationId: org, viewerId: user },
  organizationUsers: { organizationId: org, viewerId: user, page: 1, pageSize: 50 },
  coverage: { viewerId: user, state: 'SINGLE', page: 1, pageSize: 50 },
  updateRegistration: { organizationId: org, userId: user, cmsWebInterface: true, cahpsSurvey: false, proof },
  listAudit: { viewerId: other, organizationId: org, from: '2026-01-01', to: expiresAt, page: 1, pageSize: 200, after: { occurredAt: expiresAt, id: '42' } },
  showCalendarFeed: { userId: user, proof },
  rotateCalendarFeed: { userId: user, proof },
  resolveCalendarFeed: { token: `amcal_${'t'.repeat(43)}` },
  createWebhook: { viewerId: other, url: 'https://registry.example.com/hooks/access', events: ['role-request.decided'], organizationId: org, description: 'Registry', proof },
  listWebhooks: { viewerId: other, apiKeyId: token, page: 1, pageSize: 20 },
  getWebhook: { viewerId: other, id: request },
  updateWebhook: { viewerId: other, id: request, events: ['access.removed'], paused: true, description: 'Registry, removals only', proof },
  deleteWebhook: { viewerId: other, id: request, proof },
  rotateWebhookSecret: { viewerId: other, id: request, proof },
  listWebhookDeliveries: { viewerId: other, id: request, status: 'FAILED', page: 1, pageSize: 20 },
  redeliverWebhook: { viewerId: other, id: request, deliveryId: token, proof },
  testWebhook: { viewerId: other, id: request, proof },
};

export const accessWorkflowsPayloadExamples: Examples<typeof accessWorkflowsPayloads> = {
  submit: { requesterId: user, organizationId: org, role: 'STAFF_USER', justification: 'I file our reports', proof },
  decide: { requestId: request, deciderId: other, decision: 'DENY', reason: 'Not at this practice', proof },
  withdraw: { requestId: request, requesterId: user, proof },
  undo: { requestId: request, actorId: other, proof },
  decideMany: { deciderId: other, decision: 'DENY', reasonCode: 'WRONG_ROLE', items: [{ requestId: request, proof }] },
  removeAccess: { organizationId: org, userId: user, removedById: other, reason: 'Left the practice', proof },
  nominate: { organizationId: org, nominatorId: other, nominee: 'jane.doe', message: 'Please be our backup Security Official', proof },
  respondToNomination: { nominationId: request, nomineeId: user, response: 'ACCEPT', proof },
  startAccessReviewCampaign: { startedById: other, organizationId: org, dueAt: expiresAt, proof },
  decideAccessReview: { reviewId: request, deciderId: other, items: [{ userId: user, decision: 'REMOVE' }], proof },
};

export const notificationsPayloadExamples: Examples<typeof notificationsPayloads> = {
  listNotices: { userId: user, unreadOnly: true, limit: 50 },
  markNoticeRead: { userId: user, noticeId: token },
  noticeFeed: { since: expiresAt, limit: 500 },
  queueAccountEmail: {
    idempotencyKey: `verify-email:${token}`,
    to: { email: 'jane@example.com', displayName: 'Jane Doe' },
    template: 'verify-email',
    data: { loginId: 'jane.doe', token: 'Zm9vYmFyYmF6cXV4cXV1eA', expiresAt },
  },
};
