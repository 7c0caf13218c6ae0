import type { EmailTemplateSource } from './email-template';

/** To the requester: the request is in, and who can approve it (rule 6). */
export const requestSubmittedRequester: EmailTemplateSource = {
  subject: 'Your request for the {{roleLabel role}} role at {{organizationName}} was submitted',
  text: `Your request for the {{roleLabel role}} role at {{organizationName}} was submitted.

Waiting for approval from {{names approverNames}}. We will email you when it is decided.`,
  html: `<p>Your request for the <strong>{{roleLabel role}}</strong> role at <strong>{{organizationName}}</strong> was submitted.</p>
<p>Waiting for approval from {{names approverNames}}. We will email you when it is decided.</p>`,
  notice: 'Your request for the {{roleLabel role}} role at {{organizationName}} waits for approval from {{names approverNames}}.',
};
