/** Injection tokens of the @nestjs/microservices clients. */
export const DIRECTORY_CLIENT = 'DIRECTORY_CLIENT';
export const ACCESS_WORKFLOWS_CLIENT = 'ACCESS_WORKFLOWS_CLIENT';
export const NOTIFICATIONS_CLIENT = 'NOTIFICATIONS_CLIENT';

/** Message patterns served by services/directory. */
export const DIRECTORY_PATTERNS = {
  health: 'directory.health',
  verifyPassword: 'directory.auth.verify-password',
  verifySecondFactor: 'directory.auth.verify-second-factor',
  checkSession: 'directory.auth.check-session',
  signOut: 'directory.auth.sign-out',
  issueTotpSecret: 'directory.auth.issue-totp-secret',
  confirmTotpEnrollment: 'directory.auth.confirm-totp-enrollment',
  register: 'directory.accounts.register',
  verifyEmail: 'directory.accounts.verify-email',
  forgotUserId: 'directory.accounts.forgot-user-id',
  forgotPassword: 'directory.accounts.forgot-password',
  resetPassword: 'directory.accounts.reset-password',
  getAccount: 'directory.accounts.get',
  disableAccount: 'directory.accounts.disable',
  enableAccount: 'directory.accounts.enable',
  resetTwoFactor: 'directory.accounts.reset-two-factor',
  idempotencyBegin: 'directory.idempotency.begin',
  idempotencyFinish: 'directory.idempotency.finish',
  idempotencyAbandon: 'directory.idempotency.abandon',
  createApiKey: 'directory.api-keys.create',
  listApiKeys: 'directory.api-keys.list',
  revokeApiKey: 'directory.api-keys.revoke',
  verifyApiKey: 'directory.api-keys.verify',
  getMe: 'directory.users.me',
  getEmailPreferences: 'directory.users.email-preferences.get',
  updateEmailPreferences: 'directory.users.email-preferences.update',
  getRoleRequest: 'directory.role-requests.get',
  getNomination: 'directory.nominations.get',
  myNominations: 'directory.nominations.mine',
  getAccessReview: 'directory.access-reviews.get',
  listAccessReviewCampaigns: 'directory.access-reviews.campaigns',
  myAccessReviews: 'directory.access-reviews.mine',
  manageAccess: 'directory.manage-access.get',
  searchOrganizations: 'directory.organizations.search',
  getOrganization: 'directory.organizations.get',
  organizationUsers: 'directory.organizations.users',
  coverage: 'directory.organizations.coverage',
  updateRegistration: 'directory.organizations.update-registration',
  listAudit: 'directory.audit.list',
  showCalendarFeed: 'directory.calendar-feed.show',
  rotateCalendarFeed: 'directory.calendar-feed.rotate',
  resolveCalendarFeed: 'directory.calendar-feed.resolve',
  createWebhook: 'directory.webhooks.create',
  listWebhooks: 'directory.webhooks.list',
  getWebhook: 'directory.webhooks.get',
  updateWebhook: 'directory.webhooks.update',
  deleteWebhook: 'directory.webhooks.delete',
  rotateWebhookSecret: 'directory.webhooks.rotate-secret',
  listWebhookDeliveries: 'directory.webhooks.deliveries',
  redeliverWebhook: 'directory.webhooks.redeliver',
  testWebhook: 'directory.webhooks.test',
} as const;

/** Message patterns served by services/access-workflows. */
export const ACCESS_WORKFLOWS_PATTERNS = {
  health: 'access-workflows.health',
  submit: 'access-workflows.role-requests.submit',
  decide: 'access-workflows.role-requests.decide',
  withdraw: 'access-workflows.role-requests.withdraw',
  undo: 'access-workflows.role-requests.undo',
  decideMany: 'access-workflows.role-requests.decide-many',
  removeAccess: 'access-workflows.removals.remove',
  nominate: 'access-workflows.nominations.nominate',
  respondToNomination: 'access-workflows.nominations.respond',
  startAccessReviewCampaign: 'access-workflows.access-reviews.start',
  decideAccessReview: 'access-workflows.access-reviews.decide',
} as const;

/** Message patterns served by services/notifications. */
export const NOTIFICATIONS_PATTERNS = {
  health: 'notifications.health',
  listNotices: 'notifications.notices.list',
  markNoticeRead: 'notifications.notices.mark-read',
  noticeFeed: 'notifications.notices.feed',
  queueAccountEmail: 'notifications.account-emails.queue',
} as const;
