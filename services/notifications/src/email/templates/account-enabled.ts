import type { EmailTemplateSource } from './email-template';

/** The help desk enabled the account again. */
export const accountEnabled: EmailTemplateSource = {
  subject: 'Your Access Manager account was enabled again',
  text: 'The help desk enabled the Access Manager account {{loginId}} again: you can sign in.',
  html: '<p>The help desk enabled the Access Manager account <strong>{{loginId}}</strong> again: you can sign in.</p>',
  notice: 'Your account was enabled again.',
};
