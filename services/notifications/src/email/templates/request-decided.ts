import type { EmailTemplateSource } from './email-template';

/** To the requester: approved or denied, with the reason when one was given. */
export const requestDecided: EmailTemplateSource = {
  subject: 'Your request for the {{roleLabel role}} role at {{organizationName}} was {{#if approved}}approved{{else}}denied{{/if}}',
  text: `{{#if approved}}{{deciderName}} approved your request for the {{roleLabel role}} role at {{organizationName}}. You can now act for this organization.{{else}}{{deciderName}} denied your request for the {{roleLabel role}} role at {{organizationName}}.{{/if}}
{{#if reason}}

Reason given: {{reason}}
{{/if}}
{{#unless approved}}

If this was a mistake, you may submit a new request.
{{/unless}}`,
  html: `{{#if approved}}<p><strong>{{deciderName}}</strong> approved your request for the <strong>{{roleLabel role}}</strong> role at <strong>{{organizationName}}</strong>. You can now act for this organization.</p>{{else}}<p><strong>{{deciderName}}</strong> denied your request for the <strong>{{roleLabel role}}</strong> role at <strong>{{organizationName}}</strong>.</p>{{/if}}
{{#if reason}}<p>Reason given: {{reason}}</p>{{/if}}
{{#unless approved}}<p>If this was a mistake, you may submit a new request.</p>{{/unless}}`,
  notice:
    '{{deciderName}} {{#if approved}}approved{{else}}denied{{/if}} your request for the {{roleLabel role}} role at {{organizationName}}.{{#if reason}} Reason: {{reason}}{{/if}}',
};
