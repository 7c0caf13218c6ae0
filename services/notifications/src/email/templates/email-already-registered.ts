import type { EmailTemplateSource } from './email-template';

/**
 * To the address of an existing account when someone registers with it again: the registration
 * answer is the same either way (it never tells whether an address is registered), and only the
 * owner of the address learns that it is.
 */
export const emailAlreadyRegistered: EmailTemplateSource = {
  subject: 'You already have an Access Manager account',
  text: `Someone, hopefully you, tried to register a new Access Manager account with this email address. No new account was created: this address already belongs to the account with the user id {{loginId}}.

Sign in with that user id. If you forgot the password, choose "Forgot user ID or password" on the sign-in page.

If it was not you, you need to do nothing.`,
  html: `<p>Someone, hopefully you, tried to register a new Access Manager account with this email address. No new account was created: this address already belongs to the account with the user id <strong>{{loginId}}</strong>.</p>
<p>Sign in with that user id. If you forgot the password, choose “Forgot user ID or password” on the sign-in page.</p>
<p>If it was not you, you need to do nothing.</p>`,
  notice: 'Someone tried to register a new account with your email address.',
};
