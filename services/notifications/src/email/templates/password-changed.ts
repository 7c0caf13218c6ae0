import type { EmailTemplateSource } from './email-template';

/** After a reset: the password changed and every session ended. */
export const passwordChanged: EmailTemplateSource = {
  subject: 'Your Access Manager password was changed',
  text: `The password of the Access Manager account {{loginId}} was changed, and the account was signed out everywhere.

If you did not change it, contact the Quality Payment Program at once (below).`,
  html: `<p>The password of the Access Manager account <strong>{{loginId}}</strong> was changed, and the account was signed out everywhere.</p>
<p>If you did not change it, contact the Quality Payment Program at once (below).</p>`,
  notice: 'Your password was changed.',
};
