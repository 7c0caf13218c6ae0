import type { EmailTemplateSource } from './email-template';

// Nominating a backup Security Official (issue 18): the nominee is asked, the nominator told how it ended.

/** To the nominee: a Security Official nominates them as a backup Security Official. */
export const nominationReceived: EmailTemplateSource = {
  subject: '{{nominatorName}} nominates you as a Security Official of {{organizationName}}',
  text: `{{nominatorName}}, a Security Official of {{organizationName}}, nominates you as a backup Security Official there, so that someone is always available to approve role requests.
{{#if message}}

Their message: {{message}}
{{/if}}

Accept or decline the nomination in Access Manager before {{when expiresAt}}. If you accept, you will hold the Security Official role at {{organizationName}}.`,
  html: `<p><strong>{{nominatorName}}</strong>, a Security Official of <strong>{{organizationName}}</strong>, nominates you as a backup Security Official there, so that someone is always available to approve role requests.</p>
{{#if message}}<p>Their message: <em>{{message}}</em></p>{{/if}}
<p>Accept or decline the nomination in Access Manager before {{when expiresAt}}. If you accept, you will hold the Security Official role at <strong>{{organizationName}}</strong>.</p>`,
  notice: '{{nominatorName}} nominates you as a Security Official of {{organizationName}}.',
};

/** To the nominator: the nominee accepted and is a Security Official now. */
export const nominationAccepted: EmailTemplateSource = {
  subject: '{{nomineeName}} accepted your nomination as a Security Official of {{organizationName}}',
  text: '{{nomineeName}} accepted your nomination on {{when respondedAt}} and is now a Security Official of {{organizationName}}, recorded as approved by you.',
  html: '<p><strong>{{nomineeName}}</strong> accepted your nomination on {{when respondedAt}} and is now a Security Official of <strong>{{organizationName}}</strong>, recorded as approved by you.</p>',
  notice: '{{nomineeName}} accepted your nomination and is now a Security Official of {{organizationName}}.',
};

/** To the nominator: the nominee declined. */
export const nominationDeclined: EmailTemplateSource = {
  subject: '{{nomineeName}} declined your nomination as a Security Official of {{organizationName}}',
  text: '{{nomineeName}} declined your nomination as a Security Official of {{organizationName}} on {{when respondedAt}}. Consider nominating someone else, so that someone is always available to approve role requests.',
  html: '<p><strong>{{nomineeName}}</strong> declined your nomination as a Security Official of <strong>{{organizationName}}</strong> on {{when respondedAt}}. Consider nominating someone else, so that someone is always available to approve role requests.</p>',
  notice: '{{nomineeName}} declined your nomination as a Security Official of {{organizationName}}.',
};

/** To the nominator: nobody answered in time. */
export const nominationExpired: EmailTemplateSource = {
  subject: 'Your nomination of {{nomineeName}} as a Security Official of {{organizationName}} expired',
  text: '{{nomineeName}} did not answer your nomination as a Security Official of {{organizationName}}, and it expired on {{when respondedAt}}. You may nominate them again, or someone else.',
  html: '<p><strong>{{nomineeName}}</strong> did not answer your nomination as a Security Official of <strong>{{organizationName}}</strong>, and it expired on {{when respondedAt}}. You may nominate them again, or someone else.</p>',
  notice: 'Your nomination of {{nomineeName}} as a Security Official of {{organizationName}} expired unanswered.',
};
