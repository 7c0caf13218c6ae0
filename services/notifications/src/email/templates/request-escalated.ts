import type { EmailTemplateSource } from './email-template';

/** To the help desk: the approvers were reminded `reminders` times without deciding. */
export const requestEscalated: EmailTemplateSource = {
  subject: 'Escalation: a request for the {{roleLabel role}} role at {{organizationName}} waits without a decision',
  text: `{{requesterName}} requested the {{roleLabel role}} role at {{organizationName}} on {{day submittedAt}}.

Its approvers ({{names approverNames}}) were reminded {{reminders}} times and have not decided. Please follow up.

Request id: {{requestId}}`,
  html: `<p><strong>{{requesterName}}</strong> requested the <strong>{{roleLabel role}}</strong> role at <strong>{{organizationName}}</strong> on {{day submittedAt}}.</p>
<p>Its approvers ({{names approverNames}}) were reminded {{reminders}} times and have not decided. Please follow up.</p>
<p>Request id: <code>{{requestId}}</code></p>`,
  notice: 'Escalation: the {{roleLabel role}} request of {{requesterName}} at {{organizationName}} waits after {{reminders}} reminders.',
};
