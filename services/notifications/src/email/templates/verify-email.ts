import type { EmailTemplateSource } from './email-template';

/** To a new registration's address: the single-use link that verifies it (issue 10). */
export const verifyEmail: EmailTemplateSource = {
  subject: 'Verify your email address for Access Manager',
  text: `Someone, hopefully you, registered the user id {{loginId}} in Access Manager with this email address.

To verify the address, open the link below. It works once, until {{when expiresAt}}. After that, register again with the same details for a new link.

If you did not register, ignore this email: the account cannot be used unless the address is verified.`,
  html: `<p>Someone, hopefully you, registered the user id <strong>{{loginId}}</strong> in Access Manager with this email address.</p>
<p>To verify the address, open the link below. It works once, until {{when expiresAt}}. After that, register again with the same details for a new link.</p>
<p>If you did not register, ignore this email: the account cannot be used unless the address is verified.</p>`,
  notice: 'Verify your email address for the user id {{loginId}}.',
};
