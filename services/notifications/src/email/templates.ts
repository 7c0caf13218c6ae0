import type { NotificationInput } from '@am/workflow-contracts';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface TemplateContext {
  publicBaseUrl: string;
  support: { phone: string; email: string; hours: string };
}

const ROLE_LABEL = { SECURITY_OFFICIAL: 'Security Official', STAFF_USER: 'Staff User' } as const;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** "A", "A and B", "A, B and C". */
const names = (list: string[]) => (list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`);
const day = (iso: string) => iso.slice(0, 10);
const ORDINAL = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
const ordinal = (n: number) => ORDINAL[n - 1] ?? `${n}th`;

/** Subject and paragraphs of one notice; the greeting, link and support footer are added around them. */
function compose(input: NotificationInput): { subject: string; body: string[] } {
  switch (input.template) {
    case 'request-submitted-approver': {
      const d = input.data;
      const role = ROLE_LABEL[d.role];
      return {
        subject: `${d.requesterName} requests the ${role} role at ${d.organizationName}`,
        body: [
          `${d.requesterName} has requested the ${role} role at ${d.organizationName}. You can approve or deny this request in Manage Access.`,
          ...(d.justification ? [`Their justification: ${d.justification}`] : []),
        ],
      };
    }
    case 'request-submitted-requester': {
      const d = input.data;
      const role = ROLE_LABEL[d.role];
      return {
        subject: `Your request for the ${role} role at ${d.organizationName} was submitted`,
        body: [
          `Your request for the ${role} role at ${d.organizationName} was submitted.`,
          `Waiting for approval from ${names(d.approverNames)}. We will email you when it is decided.`,
        ],
      };
    }
    case 'request-reminder': {
      const d = input.data;
      const role = ROLE_LABEL[d.role];
      return {
        subject: `Reminder: ${d.requesterName} is waiting for the ${role} role at ${d.organizationName}`,
        body: [
          `${d.requesterName} requested the ${role} role at ${d.organizationName} on ${day(d.submittedAt)}, and the request still waits for a decision.`,
          `This is the ${ordinal(d.reminder)} reminder. Please approve or deny it in Manage Access.`,
        ],
      };
    }
    case 'request-escalated': {
      const d = input.data;
      const role = ROLE_LABEL[d.role];
      return {
        subject: `Escalation: a request for the ${role} role at ${d.organizationName} waits without a decision`,
        body: [
          `${d.requesterName} requested the ${role} role at ${d.organizationName} on ${day(d.submittedAt)}.`,
          `Its approvers (${names(d.approverNames)}) were reminded ${d.reminders} times and have not decided. Please follow up.`,
          `Request id: ${d.requestId}`,
        ],
      };
    }
    case 'request-decided': {
      const d = input.data;
      const role = ROLE_LABEL[d.role];
      const approved = d.decision === 'APPROVED';
      return {
        subject: `Your request for the ${role} role at ${d.organizationName} was ${approved ? 'approved' : 'denied'}`,
        body: [
          approved
            ? `${d.deciderName} approved your request for the ${role} role at ${d.organizationName}. You can now act for this organization.`
            : `${d.deciderName} denied your request for the ${role} role at ${d.organizationName}.`,
          ...(d.reason ? [`Reason given: ${d.reason}`] : []),
          ...(approved ? [] : ['If this was a mistake, you may submit a new request.']),
        ],
      };
    }
    case 'decision-confirmed': {
      const d = input.data;
      const role = ROLE_LABEL[d.role];
      const what = d.decision === 'APPROVED' ? 'approved' : 'denied';
      return {
        subject: `You ${what} ${d.requesterName}'s request for the ${role} role at ${d.organizationName}`,
        body: [`This confirms that you ${what} ${d.requesterName}'s request for the ${role} role at ${d.organizationName}. ${d.requesterName} has been told.`],
      };
    }
    case 'request-expired': {
      const d = input.data;
      const role = ROLE_LABEL[d.role];
      return {
        subject: `Your request for the ${role} role at ${d.organizationName} expired`,
        body: [
          `Your request of ${day(d.submittedAt)} for the ${role} role at ${d.organizationName} was not decided in time and has expired.`,
          'You may submit a new request.',
        ],
      };
    }
    case 'request-withdrawn': {
      const d = input.data;
      const role = ROLE_LABEL[d.role];
      return d.audience === 'requester'
        ? {
            subject: `You withdrew your request for the ${role} role at ${d.organizationName}`,
            body: [`Your request for the ${role} role at ${d.organizationName} was withdrawn. You may submit a new request at any time.`],
          }
        : {
            subject: `${d.requesterName} withdrew the request for the ${role} role at ${d.organizationName}`,
            body: [`${d.requesterName} withdrew the request for the ${role} role at ${d.organizationName}. Nothing is left for you to decide.`],
          };
    }
    case 'access-removed': {
      const d = input.data;
      const role = ROLE_LABEL[d.role];
      return {
        subject: `Your access to ${d.organizationName} was removed`,
        body: [`${d.removedByName} removed your ${role} role at ${d.organizationName}. You can no longer act for this organization.`],
      };
    }
  }
}

/** Renders one notification into a plain-text and an HTML part, each with the support contact footer. */
export function renderNotification(input: NotificationInput, ctx: TemplateContext): RenderedEmail {
  const { subject, body: paragraphs } = compose(input);
  const body = [`Hello ${input.to.displayName},`, ...paragraphs];
  const link = `${ctx.publicBaseUrl}/manage-access`;
  const footer = [
    'Have questions? Contact the Quality Payment Program',
    `By Phone: ${ctx.support.phone} or By Email: ${ctx.support.email}`,
    ctx.support.hours,
  ];
  const text = [...body, '', `Manage Access: ${link}`, '', '--', ...footer].join('\n');
  const html = [
    ...body.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(link)}">Open Manage Access</a></p>`,
    `<hr><p style="color:#444">${footer.map(escapeHtml).join('<br>')}</p>`,
  ].join('\n');
  return { subject, text, html };
}
