import type { EmailTemplateSource } from './email-template';

/** The help desk reset the account's two-factor: the next sign-in sets up a new authenticator. */
export const twoFactorReset: EmailTemplateSource = {
  subject: 'The two-factor authentication of your Access Manager account was reset',
  text: `The help desk reset the two-factor authentication of the Access Manager account {{loginId}}: its authenticator app and recovery codes no longer work, and the account was signed out everywhere.

The next time you sign in with your password, you will set up your authenticator app again and get new recovery codes.

If you did not ask for this, contact the Quality Payment Program at once (below).`,
  html: `<p>The help desk reset the two-factor authentication of the Access Manager account <strong>{{loginId}}</strong>: its authenticator app and recovery codes no longer work, and the account was signed out everywhere.</p>
<p>The next time you sign in with your password, you will set up your authenticator app again and get new recovery codes.</p>
<p>If you did not ask for this, contact the Quality Payment Program at once (below).</p>`,
  notice: 'Your two-factor authentication was reset.',
};
