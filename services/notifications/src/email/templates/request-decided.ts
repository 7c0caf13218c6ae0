import type { EmailTemplateSource } from './email-template';

/** To the requester: approved or denied, with the reason when one was given. */
export const requestDecided: EmailTemplateSource = {
  subject: 'Your request for the {{roleLabel role}} role at {{organizationName}} was {{#if approved}}approved{{else}}denied{{/if}}',
  text: `{{#if approved}}{{deciderName}} approved your request for the {{roleLabel role}} role at {{organizationName}}. You can now act for this organization.{{else}}{{deciderName}} denied your request for the {{roleLabel role}} role at {{organizationName}}.{{/if}}
{{#if reasonCode}}

Why: {{reasonLabel reasonCode}}
{{/if}}
{{#if reason}}

Reason given: {{reason}}
{{/if}}
{{#unless approved}}

{{#if resubmitHint}}What you can do: {{resubmitHint}}{{else}}If this was a mistake, you may submit a new request.{{/if}}
{{/unless}}`,
  html: `{{#if approved}}<p><strong>{{deciderName}}</strong> approved your request for the <strong>{{roleLabel role}}</strong> role at <strong>{{organizationName}}</strong>. You can now act for this organization.</p>{{else}}<p><strong>{{deciderName}}</strong> denied your request for the <strong>{{roleLabel role}}</strong> role at <strong>{{organizationName}}</strong>.</p>{{/if}}
{{#if reasonCode}}<p>Why: {{reasonLabel reasonCode}}</p>{{/if}}
{{#if reason}}<p>Reason given: {{reason}}</p>{{/if}}
{{#unless approved}}<p>{{#if resubmitHint}}What you can do: {{resubmitHint}}{{else}}If this was a mistake, you may submit a new request.{{/if}}</p>{{/unless}}`,
  notice:
    '{{deciderName}} {{#if approved}}approved{{else}}denied{{/if}} your request for the {{roleLabel role}} role at {{organizationName}}.{{#if reasonCode}} Why: {{reasonLabel reasonCode}}.{{/if}}{{#if reason}} Reason: {{reason}}{{/if}}{{#unless approved}}{{#if resubmitHint}} {{resubmitHint}}{{/if}}{{/unless}}',
};
