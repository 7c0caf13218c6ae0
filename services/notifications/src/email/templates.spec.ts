import type { NotificationInput } from '@am/workflow-contracts';
import { renderNotification } from './templates';

const ctx = { webBaseUrl: 'https://am.example', support: { phone: '1-866-288-8292', email: 'QPP@cms.hhs.gov', hours: 'Mon-Fri' } };
type DecidedData = Extract<NotificationInput, { template: 'request-decided' }>['data'];
const notice = (over: Partial<DecidedData> = {}): NotificationInput => ({
  idempotencyKey: 'k',
  to: { email: 't@example.com', displayName: 'Thomas <Tom> Miller' },
  template: 'request-decided',
  data: { requestId: 'r', decision: 'APPROVED', role: 'STAFF_USER', organizationName: 'Acme Clinic, LLC', deciderName: 'Elizabeth Blackwell', reason: null, ...over },
});

describe('request-decided email', () => {
  it('tells the requester who approved which role where, with the support footer in both parts', () => {
    const e = renderNotification(notice(), ctx);
    expect(e.subject).toBe('Your request for the Staff User role at Acme Clinic, LLC was approved');
    expect(e.text).toContain('Elizabeth Blackwell approved your request for the Staff User role at Acme Clinic, LLC.');
    for (const part of [e.text, e.html]) {
      expect(part).toContain('1-866-288-8292');
      expect(part).toContain('QPP@cms.hhs.gov');
      expect(part).toContain('https://am.example/manage-access');
    }
  });

  it('gives the reason of a denial and says a new request may be submitted', () => {
    const e = renderNotification(notice({ decision: 'DENIED', role: 'SECURITY_OFFICIAL', reason: 'Not on staff' }), ctx);
    expect(e.subject).toBe('Your request for the Security Official role at Acme Clinic, LLC was denied');
    expect(e.text).toContain('Reason given: Not on staff');
    expect(e.text).toContain('you may submit a new request');
  });

  it('escapes names in the HTML part', () => {
    const e = renderNotification(notice(), ctx);
    expect(e.html).toContain('Hello Thomas &lt;Tom&gt; Miller,');
    expect(e.html).not.toContain('<Tom>');
  });
});

describe('lifecycle emails', () => {
  const base = { requestId: 'r-1', role: 'STAFF_USER' as const, organizationName: 'Acme Clinic, LLC' };
  const to = { email: 'a@example.com', displayName: 'Elizabeth Blackwell' };
  const render = (n: Omit<NotificationInput, 'idempotencyKey' | 'to'>) => renderNotification({ idempotencyKey: 'k', to, ...n } as NotificationInput, ctx);

  it('names every approver to the requester on submit (rule 6)', () => {
    const e = render({ template: 'request-submitted-requester', data: { ...base, approverNames: ['Kelly Dunn', 'Liz Lordis', 'Ann Other'] } });
    expect(e.subject).toBe('Your request for the Staff User role at Acme Clinic, LLC was submitted');
    expect(e.text).toContain('Waiting for approval from Kelly Dunn, Liz Lordis and Ann Other.');
  });

  it('counts reminders and says who was reminded in the escalation', () => {
    const r = render({ template: 'request-reminder', data: { ...base, requesterName: 'Thomas Miller, MD', reminder: 2, submittedAt: '2026-11-01T10:00:00.000Z' } });
    expect(r.subject).toBe('Reminder: Thomas Miller, MD is waiting for the Staff User role at Acme Clinic, LLC');
    expect(r.text).toContain('on 2026-11-01');
    expect(r.text).toContain('This is the second reminder.');
    const e = render({
      template: 'request-escalated',
      data: { ...base, requesterName: 'Thomas Miller, MD', reminders: 3, submittedAt: '2026-11-01T10:00:00.000Z', approverNames: ['Elizabeth Blackwell'] },
    });
    expect(e.text).toContain('Its approvers (Elizabeth Blackwell) were reminded 3 times and have not decided.');
  });

  it('renders every template with both parts and the support footer', () => {
    const notices: Omit<NotificationInput, 'idempotencyKey' | 'to'>[] = [
      { template: 'request-submitted-approver', data: { ...base, requesterName: 'T', justification: 'why' } },
      { template: 'decision-confirmed', data: { ...base, decision: 'DENIED', requesterName: 'T' } },
      { template: 'request-expired', data: { ...base, submittedAt: '2026-11-01T10:00:00.000Z' } },
      { template: 'request-withdrawn', data: { ...base, requesterName: 'T', audience: 'approver' } },
      { template: 'access-removed', data: { organizationName: 'Acme Clinic, LLC', role: 'SECURITY_OFFICIAL', removedByName: 'Aurelie Farrell' } },
    ];
    for (const n of notices) {
      const e = render(n);
      expect(e.subject).toContain('Acme Clinic, LLC');
      for (const part of [e.text, e.html]) expect(part).toContain('QPP@cms.hhs.gov');
    }
  });
});
