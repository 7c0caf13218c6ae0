import type { EmailTemplateSource } from './email-template';

// Access reviews (issue 18): the reviewers are asked, reminded and told the outcome; the help desk is alerted near the due date.

/** To each reviewer: a review of the organization's users opened. */
export const accessReviewOpened: EmailTemplateSource = {
  subject: 'Review who has access to {{organizationName}} by {{day dueAt}}',
  text: `An access review of {{organizationName}} has opened. Please confirm, for each of its {{total}} connected users, whether they should keep their access or lose it, before {{when dueAt}}.

{{#if removeUnreviewed}}Users nobody reviews by then lose their access.{{else}}Users nobody reviews by then keep their access.{{/if}}`,
  html: `<p>An access review of <strong>{{organizationName}}</strong> has opened. Please confirm, for each of its {{total}} connected users, whether they should keep their access or lose it, before {{when dueAt}}.</p>
<p>{{#if removeUnreviewed}}Users nobody reviews by then lose their access.{{else}}Users nobody reviews by then keep their access.{{/if}}</p>`,
  notice: 'Review who has access to {{organizationName}} by {{day dueAt}}: {{total}} users to confirm.',
};

/** To each reviewer: users still wait. */
export const accessReviewReminder: EmailTemplateSource = {
  subject: 'Reminder: {{undecided}} of {{total}} users of {{organizationName}} still wait for your review',
  text: `{{undecided}} of the {{total}} users connected to {{organizationName}} have not been reviewed yet. The review is due {{when dueAt}}.`,
  html: `<p>{{undecided}} of the {{total}} users connected to <strong>{{organizationName}}</strong> have not been reviewed yet. The review is due {{when dueAt}}.</p>`,
  notice: '{{undecided}} users of {{organizationName}} still wait for your review (due {{day dueAt}}).',
};

/** To the help desk: a review near its due date still has users nobody reviewed. */
export const accessReviewEscalated: EmailTemplateSource = {
  subject: 'Access review of {{organizationName}} is due {{day dueAt}} with {{undecided}} users unreviewed',
  text: `The access review of {{organizationName}} is due {{when dueAt}}, and {{undecided}} of its {{total}} users have not been reviewed.{{#if reviewerNames.length}} Its reviewers: {{names reviewerNames}}.{{/if}} Please follow up.`,
  html: `<p>The access review of <strong>{{organizationName}}</strong> is due {{when dueAt}}, and {{undecided}} of its {{total}} users have not been reviewed.{{#if reviewerNames.length}} Its reviewers: {{names reviewerNames}}.{{/if}} Please follow up.</p>`,
  notice: 'The access review of {{organizationName}} is due {{day dueAt}} with {{undecided}} users unreviewed.',
};

/** To each reviewer: the summary at the end. */
export const accessReviewCompleted: EmailTemplateSource = {
  subject: 'The access review of {{organizationName}} is complete',
  text: `The access review of {{organizationName}} is complete: {{kept}} kept, {{removed}} removed{{#if refused}}, {{refused}} removals refused by the removal rules{{/if}}.{{#if unreviewed}} {{unreviewed}} users nobody reviewed {{#if removeUnreviewed}}were removed, as the review's policy says{{else}}kept their access, as the review's policy says{{/if}}.{{/if}}`,
  html: `<p>The access review of <strong>{{organizationName}}</strong> is complete: {{kept}} kept, {{removed}} removed{{#if refused}}, {{refused}} removals refused by the removal rules{{/if}}.{{#if unreviewed}} {{unreviewed}} users nobody reviewed {{#if removeUnreviewed}}were removed, as the review's policy says{{else}}kept their access, as the review's policy says{{/if}}.{{/if}}</p>`,
  notice: 'The access review of {{organizationName}} is complete: {{kept}} kept, {{removed}} removed.',
};
