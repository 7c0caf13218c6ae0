import type { EmailTemplateSource } from './email-template';

/**
 * Issue 19: the daily digest of the requests waiting on the recipient, grouped by organization,
 * each with its approve and deny links into the web UI (the model adds them: see templates.ts).
 */
export const emailDigest: EmailTemplateSource = {
  subject: 'Your daily digest: {{total}} {{#if single}}request waits{{else}}requests wait{{/if}} for your decision',
  text: `{{total}} {{#if single}}request waits{{else}}requests wait{{/if}} for your decision on {{localDate}}.{{#if more}} The first {{listed}} are listed here; Manage Access has them all.{{/if}}
{{#each organizations}}

{{name}} ({{identifierLabel}}), {{requests.length}} pending:
{{#each requests}}
- {{requesterName}} requests the {{roleLabel role}} role (submitted {{when submittedAt}}){{#if justification}}. Justification: {{justification}}{{/if}}
  Approve: {{approveLink}}
  Deny: {{denyLink}}
{{/each}}
{{/each}}`,
  html: `<p>{{total}} {{#if single}}request waits{{else}}requests wait{{/if}} for your decision on {{localDate}}.{{#if more}} The first {{listed}} are listed here; Manage Access has them all.{{/if}}</p>
{{#each organizations}}<h2 style="font-size: 1.1em; margin-bottom: 0.25em;">{{name}} <span style="font-weight: normal; color: #444;">({{identifierLabel}}), {{requests.length}} pending</span></h2>
<ul>
{{#each requests}}<li><strong>{{requesterName}}</strong> requests the <strong>{{roleLabel role}}</strong> role (submitted {{when submittedAt}}){{#if justification}}. Justification: <em>{{justification}}</em>{{/if}}<br>
<a href="{{approveLink}}" style="color: #0071bc;">Approve</a> | <a href="{{denyLink}}" style="color: #0071bc;">Deny</a></li>
{{/each}}</ul>
{{/each}}`,
  notice: '{{total}} {{#if single}}request waits{{else}}requests wait{{/if}} for your decision.',
};
