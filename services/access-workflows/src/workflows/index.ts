// The worker's workflow bundle entry: every workflow type the access-workflows worker runs.
export { roleRequestWorkflow } from './role-request.workflow';
export { accessRemovalWorkflow } from './access-removal.workflow';
export { accountEmailWorkflow } from './account-email.workflow';
export { nominationWorkflow } from './nomination.workflow';
export { accessReviewCampaignWorkflow, accessReviewWorkflow } from './access-review.workflow';
export { emailDigestWorkflow } from './email-digest.workflow';
export { webhookDeliveryWorkflow } from './webhook-delivery.workflow';
