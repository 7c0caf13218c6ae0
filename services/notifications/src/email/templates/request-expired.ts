import type { EmailTemplateSource } from './email-template';

/** To the requester: nobody decided in time (rule 7). */
export const requestExpired: EmailTemplateSource = {
  subject: 'Your request for the {{roleLabel role}} role at {{organizationName}} expired',
  text: `Your request of {{day submittedAt}} for the {{roleLabel role}} role at {{organizationName}} was not decided in time and has expired.

You may submit a new request.`,
  html: `<p>Your request of {{day submittedAt}} for the <strong>{{roleLabel role}}</strong> role at <strong>{{organizationName}}</strong> was not decided in time and has expired.</p>
<p>You may submit a new request.</p>`,
  notice: 'Your request for the {{roleLabel role}} role at {{organizationName}} expired undecided.',
};
