import type { EmailTemplateSource } from './email-template';

/** To the owner of a webhook subscription that was paused: every delivery failed for WEBHOOK_DISABLE_AFTER (issue 20). */
export const webhookPaused: EmailTemplateSource = {
  subject: 'Webhook paused: {{url}}',
  text: 'Every delivery to {{url}} has failed since {{failingSince}}, so Access Manager paused this webhook: it sends nothing more until you resume it. The last attempt: {{lastError}}. Fix the endpoint, then resume the webhook and redeliver what it missed.',
  html: '<p>Every delivery to <strong>{{url}}</strong> has failed since {{failingSince}}, so Access Manager paused this webhook: it sends nothing more until you resume it.</p><p>The last attempt: {{lastError}}.</p><p>Fix the endpoint, then resume the webhook and redeliver what it missed.</p>',
  notice: 'The webhook to {{url}} was paused: every delivery failed since {{failingSince}}.',
};
