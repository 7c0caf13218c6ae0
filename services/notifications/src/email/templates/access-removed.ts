import type { EmailTemplateSource } from './email-template';

/** To the user whose access was removed (rule 9). */
export const accessRemoved: EmailTemplateSource = {
  subject: 'Your access to {{organizationName}} was removed',
  text: '{{removedByName}} removed your {{roleLabel role}} role at {{organizationName}}. You can no longer act for this organization.',
  html: '<p><strong>{{removedByName}}</strong> removed your <strong>{{roleLabel role}}</strong> role at <strong>{{organizationName}}</strong>. You can no longer act for this organization.</p>',
  notice: '{{removedByName}} removed your {{roleLabel role}} role at {{organizationName}}.',
};
