import type { EmailTemplateSource } from './email-template';

/** "Forgot user id": the user id of the account with this address (issue 10). */
export const userIdReminder: EmailTemplateSource = {
  subject: 'Your Access Manager user id',
  text: `You asked for the user id of the Access Manager account with this email address. It is:

{{loginId}}

If you did not ask, you need to do nothing.`,
  html: `<p>You asked for the user id of the Access Manager account with this email address. It is:</p>
<p style="font-size: 1.2em;"><strong>{{loginId}}</strong></p>
<p>If you did not ask, you need to do nothing.</p>`,
  notice: 'Your user id is {{loginId}}.',
};
