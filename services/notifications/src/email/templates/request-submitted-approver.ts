import type { EmailTemplateSource } from './email-template';

/** To each approver: someone asks for a role they can grant. */
export const requestSubmittedApprover: EmailTemplateSource = {
  subject: '{{requesterName}} requests the {{roleLabel role}} role at {{organizationName}}',
  text: `{{requesterName}} has requested the {{roleLabel role}} role at {{organizationName}}. You can approve or deny this request in Manage Access.
{{#if justification}}

Their justification: {{justification}}
{{/if}}`,
  html: `<p><strong>{{requesterName}}</strong> has requested the <strong>{{roleLabel role}}</strong> role at <strong>{{organizationName}}</strong>. You can approve or deny this request in Manage Access.</p>
{{#if justification}}<p>Their justification: <em>{{justification}}</em></p>{{/if}}`,
  notice: '{{requesterName}} requests the {{roleLabel role}} role at {{organizationName}}.',
};
