import type { EmailTemplateSource } from './email-template';

/** To each approver: the request still waits (rule 7). */
export const requestReminder: EmailTemplateSource = {
  subject: 'Reminder: {{requesterName}} is waiting for the {{roleLabel role}} role at {{organizationName}}',
  text: `{{requesterName}} requested the {{roleLabel role}} role at {{organizationName}} on {{day submittedAt}}, and the request still waits for a decision.

This is the {{ordinal reminder}} reminder. Please approve or deny it in Manage Access.`,
  html: `<p><strong>{{requesterName}}</strong> requested the <strong>{{roleLabel role}}</strong> role at <strong>{{organizationName}}</strong> on {{day submittedAt}}, and the request still waits for a decision.</p>
<p>This is the {{ordinal reminder}} reminder. Please approve or deny it in Manage Access.</p>`,
  notice: 'Reminder: {{requesterName}} still waits for the {{roleLabel role}} role at {{organizationName}}.',
};
