/** The Statement of Truth every sign-in agrees to (seed 001); its version is recorded in the audit log. */
export const STATEMENT_OF_TRUTH = {
  version: '2019-07-01',
  text:
    'I certify to the best of my knowledge that all of the information that will be submitted will be true, ' +
    'accurate, and complete. If I become aware that any submitted information is not true, accurate, and ' +
    'complete, I will correct such information promptly. I understand that the knowing omission, ' +
    'misrepresentation, or falsification of any submitted information may be punished by criminal, civil, or ' +
    'administrative penalties, including fines, civil damages, and/or imprisonment.',
} as const;
