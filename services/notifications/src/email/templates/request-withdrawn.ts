import type { EmailTemplateSource } from './email-template';

/** To the requester (confirmation) and to the approvers (nothing left to decide). */
export const requestWithdrawn: EmailTemplateSource = {
  subject:
    '{{#if toRequester}}You withdrew your request for the {{roleLabel role}} role at {{organizationName}}{{else}}{{requesterName}} withdrew the request for the {{roleLabel role}} role at {{organizationName}}{{/if}}',
  text: `{{#if toRequester}}Your request for the {{roleLabel role}} role at {{organizationName}} was withdrawn. You may submit a new request at any time.{{else}}{{requesterName}} withdrew the request for the {{roleLabel role}} role at {{organizationName}}. Nothing is left for you to decide.{{/if}}`,
  html: `{{#if toRequester}}<p>Your request for the <strong>{{roleLabel role}}</strong> role at <strong>{{organizationName}}</strong> was withdrawn. You may submit a new request at any time.</p>{{else}}<p><strong>{{requesterName}}</strong> withdrew the request for the <strong>{{roleLabel role}}</strong> role at <strong>{{organizationName}}</strong>. Nothing is left for you to decide.</p>{{/if}}`,
  notice:
    '{{#if toRequester}}You withdrew your request for the {{roleLabel role}} role at {{organizationName}}.{{else}}{{requesterName}} withdrew the request for the {{roleLabel role}} role at {{organizationName}}.{{/if}}',
};
