import type { EmailTemplateSource } from './email-template';

/** "Forgot password": the single-use link that sets a new password (issue 10). */
export const passwordReset: EmailTemplateSource = {
  subject: 'Reset your Access Manager password',
  text: `You asked to reset the password of the Access Manager account {{loginId}}.

Open the link below to choose a new password. It works once, until {{when expiresAt}}. Choosing a new password signs the account out everywhere.

If you did not ask, ignore this email: your password stays as it is.`,
  html: `<p>You asked to reset the password of the Access Manager account <strong>{{loginId}}</strong>.</p>
<p>Open the link below to choose a new password. It works once, until {{when expiresAt}}. Choosing a new password signs the account out everywhere.</p>
<p>If you did not ask, ignore this email: your password stays as it is.</p>`,
  notice: 'A password reset was requested for {{loginId}}.',
};
