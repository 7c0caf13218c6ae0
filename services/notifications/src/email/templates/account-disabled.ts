import type { EmailTemplateSource } from './email-template';

/** The help desk disabled the account: it cannot sign in, and its sessions ended. */
export const accountDisabled: EmailTemplateSource = {
  subject: 'Your Access Manager account was disabled',
  text: `The help desk disabled the Access Manager account {{loginId}}. It cannot sign in until it is enabled again.

To ask why, or to have it enabled, contact the Quality Payment Program (below).`,
  html: `<p>The help desk disabled the Access Manager account <strong>{{loginId}}</strong>. It cannot sign in until it is enabled again.</p>
<p>To ask why, or to have it enabled, contact the Quality Payment Program (below).</p>`,
  notice: 'Your account was disabled.',
};
