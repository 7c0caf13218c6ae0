import type { EmailTemplateSource } from './email-template';

/** To the deciding approver: confirmation of what they decided (rule 13). */
export const decisionConfirmed: EmailTemplateSource = {
  subject: "You {{decided}} {{requesterName}}'s request for the {{roleLabel role}} role at {{organizationName}}",
  text: "This confirms that you {{decided}} {{requesterName}}'s request for the {{roleLabel role}} role at {{organizationName}}. {{requesterName}} has been told.",
  html: "<p>This confirms that you {{decided}} <strong>{{requesterName}}</strong>'s request for the <strong>{{roleLabel role}}</strong> role at <strong>{{organizationName}}</strong>. {{requesterName}} has been told.</p>",
  notice: "You {{decided}} {{requesterName}}'s request for the {{roleLabel role}} role at {{organizationName}}.",
};
