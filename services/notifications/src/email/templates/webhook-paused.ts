import type { EmailTemplateSource } from './email-template';

/** To the owner of a webhook subscription that was paused: every delivery failed for WEBHOOK_DISABLE_AFTER (issue 20). */
export const webhookPaused: EmailTemplateSource = {
  subject: 'Webhook paused: {{url}}',
  text: 'Every delivery to {{url}} has failed since {{failingSince}}, so Access Manager paused this webhook. Its events are kept, and go out when you resume it. The last attempt: {{lastError}}. Fix the endpoint, then resume the webhook.',
  html: '<p>Every delivery to <strong>{{url}}</strong> has failed since {{failingSince}}, so Access Manager paused this webhook. Its events are kept, and go out when you resume it.</p><p>The last attempt: {{lastError}}.</p><p>Fix the endpoint, then resume the webhook.</p>',
  notice: 'The webhook to {{url}} was paused: every delivery failed since {{failingSince}}.',
};
