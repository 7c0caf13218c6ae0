import type { QueueAccountEmailCommand } from '@am/contracts';
import type { NotificationInput } from '@am/workflow-contracts';
import { renderNotice, renderNotification, withoutLinkTokens } from './templates';

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

describe('in-app notices and the layout', () => {
  const base = { requestId: 'r-1', role: 'SECURITY_OFFICIAL' as const, organizationName: 'Davis Inc' };
  const to = { email: 'a@example.com', displayName: 'Aurelie Farrell', userId: '2b0f4c1e-8c1a-4d0e-9d69-4f1b8e6c2a10' };
  const input = (n: Omit<NotificationInput, 'idempotencyKey' | 'to'>) => ({ idempotencyKey: 'k', to, ...n }) as NotificationInput;

  it('makes the deciding approver’s confirmation a pop-up, with the email’s subject as its title', () => {
    const confirmed = input({ template: 'decision-confirmed', data: { ...base, decision: 'APPROVED', requesterName: 'Marty Swanburger' } });
    const n = renderNotice(confirmed, ctx);
    expect(n).toEqual({
      title: renderNotification(confirmed, ctx).subject,
      body: "You approved Marty Swanburger's request for the Security Official role at Davis Inc.",
      link: 'https://am.example/manage-access',
      popup: true,
    });
    const submitted = renderNotice(input({ template: 'request-submitted-approver', data: { ...base, requesterName: 'Marty Swanburger', justification: null } }), ctx);
    expect(submitted).toMatchObject({ popup: false, body: 'Marty Swanburger requests the Security Official role at Davis Inc.' });
  });

  it('words a withdrawal for the requester and for the approvers', () => {
    const data = { ...base, requesterName: 'Marty Swanburger' };
    expect(renderNotification(input({ template: 'request-withdrawn', data: { ...data, audience: 'requester' } }), ctx).subject).toBe(
      'You withdrew your request for the Security Official role at Davis Inc',
    );
    const approver = renderNotification(input({ template: 'request-withdrawn', data: { ...data, audience: 'approver' } }), ctx);
    expect(approver.subject).toBe('Marty Swanburger withdrew the request for the Security Official role at Davis Inc');
    expect(approver.text).toContain('Nothing is left for you to decide.');
  });

  it('wraps every part in the layout: a whole HTML document with the link, a text part ending with the support hours', () => {
    const e = renderNotification(input({ template: 'request-expired', data: { ...base, submittedAt: '2026-10-01T08:00:00.000Z' } }), ctx);
    expect(e.html).toMatch(/^<!DOCTYPE html>/);
    expect(e.html).toContain('<a href="https://am.example/manage-access"');
    expect(e.html).toContain('<a href="mailto:QPP@cms.hhs.gov">');
    expect(e.text.trimEnd().endsWith('Mon-Fri')).toBe(true);
    expect(e.text).toContain('Your request of 2026-10-01 for the Security Official role at Davis Inc was not decided in time and has expired.');
    expect(e.text).not.toMatch(/\n{3,}/);
  });

  it('leaves the justification out when there is none', () => {
    const e = renderNotification(input({ template: 'request-submitted-approver', data: { ...base, requesterName: 'M', justification: null } }), ctx);
    expect(e.text).not.toContain('justification');
    expect(e.html).not.toContain('justification');
  });
});

describe('account emails (issue 10)', () => {
  const to = { email: 'jane@example.com', displayName: 'Jane <Doe>' };
  const token = 'h2Q0v9mZs3xJ1bqWk7Yt5cN8fR4eL6uA0dG2pS9iT3o';
  const render = (n: Omit<QueueAccountEmailCommand, 'idempotencyKey' | 'to'>) => renderNotification({ idempotencyKey: 'k', to, ...n } as QueueAccountEmailCommand, ctx);

  it('links the verification and reset emails to the web UI with the token in the fragment, and says until when the link works', () => {
    const verify = render({ template: 'verify-email', data: { loginId: 'jane.doe', token, expiresAt: '2026-11-24T13:05:00.000Z' } });
    expect(verify.subject).toBe('Verify your email address for Access Manager');
    expect(verify.text).toContain(`Verify your email address: https://am.example/verify-email#token=${token}`);
    expect(verify.text).toContain('It works once, until 2026-11-24 13:05 UTC.');
    expect(verify.html).toContain(`<a href="https://am.example/verify-email#token&#x3D;${token}"`);
    const reset = render({ template: 'password-reset', data: { loginId: 'jane.doe', token, expiresAt: '2026-11-23T13:35:00.000Z' } });
    expect(reset.subject).toBe('Reset your Access Manager password');
    expect(reset.text).toContain(`Choose a new password: https://am.example/reset-password#token=${token}`);
    expect(reset.text).toContain('until 2026-11-23 13:35 UTC');
  });

  it('tells the user id, and never leaves a working token in what withoutLinkTokens keeps', () => {
    const reminder = render({ template: 'user-id-reminder', data: { loginId: 'jane.doe' } });
    expect(reminder.subject).toBe('Your Access Manager user id');
    expect(reminder.text).toContain('\n\njane.doe\n\n');
    const verify = render({ template: 'verify-email', data: { loginId: 'jane.doe', token, expiresAt: '2026-11-24T13:05:00.000Z' } });
    for (const part of [verify.text, verify.html]) expect(withoutLinkTokens(part)).not.toContain(token);
  });

  it('renders every account email with both parts, the greeting escaped in HTML, and the support footer', () => {
    const emails: Omit<QueueAccountEmailCommand, 'idempotencyKey' | 'to'>[] = [
      { template: 'verify-email', data: { loginId: 'jane.doe', token, expiresAt: '2026-11-24T13:05:00.000Z' } },
      { template: 'email-already-registered', data: { loginId: 'jane.doe' } },
      { template: 'user-id-reminder', data: { loginId: 'jane.doe' } },
      { template: 'password-reset', data: { loginId: 'jane.doe', token, expiresAt: '2026-11-23T13:35:00.000Z' } },
      { template: 'password-changed', data: { loginId: 'jane.doe' } },
      { template: 'account-disabled', data: { loginId: 'jane.doe' } },
      { template: 'account-enabled', data: { loginId: 'jane.doe' } },
      { template: 'two-factor-reset', data: { loginId: 'jane.doe' } },
    ];
    for (const n of emails) {
      const e = render(n);
      expect(e.subject.length).toBeGreaterThan(10);
      expect(e.text).toContain('jane.doe');
      expect(e.html).toContain('Hello Jane &lt;Doe&gt;,');
      for (const part of [e.text, e.html]) expect(part).toContain('QPP@cms.hhs.gov');
    }
  });
});

describe('nomination emails (issue 18)', () => {
  const to = { email: 'n@example.com', displayName: 'Laura <Lo> Fortran' };
  const base = { nominationId: 'n-1', organizationName: 'Greenville Medical Clinic' };

  it('asks the nominee, with the nominator’s message, the deadline and a link to the nomination', () => {
    const input: NotificationInput = {
      idempotencyKey: 'k',
      to,
      template: 'nomination-received',
      data: { ...base, nominatorName: 'Kelly Dunn', message: 'Please be our <backup>', expiresAt: '2026-03-16T14:05:09.123Z' },
    };
    const e = renderNotification(input, ctx);
    expect(e.subject).toBe('Kelly Dunn nominates you as a Security Official of Greenville Medical Clinic');
    expect(e.text).toContain('Their message: Please be our <backup>');
    expect(e.text).toContain('before 2026-03-16 14:05 UTC');
    expect(e.text).toContain('https://am.example/nominations/n-1');
    expect(e.html).toContain('Please be our &lt;backup&gt;');
    expect(renderNotice(input, ctx)).toMatchObject({ title: e.subject, link: 'https://am.example/nominations/n-1', popup: false });
    const noMessage = renderNotification({ ...input, data: { ...input.data, message: null } } as NotificationInput, ctx);
    expect(noMessage.text).not.toContain('Their message');
  });

  it('tells the nominator how it ended', () => {
    const outcome = (template: 'nomination-accepted' | 'nomination-declined' | 'nomination-expired') =>
      renderNotification({ idempotencyKey: 'k', to, template, data: { ...base, nomineeName: 'Laura Fortran', respondedAt: '2026-03-03T09:00:00.000Z' } }, ctx);
    expect(outcome('nomination-accepted').text).toContain('Laura Fortran accepted your nomination on 2026-03-03 09:00 UTC and is now a Security Official of Greenville Medical Clinic, recorded as approved by you.');
    expect(outcome('nomination-declined').subject).toBe('Laura Fortran declined your nomination as a Security Official of Greenville Medical Clinic');
    expect(outcome('nomination-expired').subject).toBe('Your nomination of Laura Fortran as a Security Official of Greenville Medical Clinic expired');
    for (const t of ['nomination-accepted', 'nomination-declined', 'nomination-expired'] as const) for (const part of [outcome(t).text, outcome(t).html]) expect(part).toContain('QPP@cms.hhs.gov');
  });
});

describe('access review emails (issue 18)', () => {
  const to = { email: 'r@example.com', displayName: 'Kelly Dunn' };
  const base = { reviewId: 'r-1', organizationName: 'Greenville <Medical> Clinic', dueAt: '2026-12-31T05:00:00.000Z' };
  const render = (input: NotificationInput) => renderNotification(input, ctx);

  it('asks the reviewers by the due date, saying what happens to whom nobody reviews, with a link to the review', () => {
    const opened = (unreviewedPolicy: 'keep' | 'remove') => render({ idempotencyKey: 'k', to, template: 'access-review-opened', data: { ...base, undecided: 3, total: 3, unreviewedPolicy } });
    expect(opened('keep').subject).toBe('Review who has access to Greenville <Medical> Clinic by 2026-12-31');
    expect(opened('keep').text).toContain('before 2026-12-31 05:00 UTC');
    expect(opened('keep').text).toContain('Users nobody reviews by then keep their access.');
    expect(opened('remove').text).toContain('Users nobody reviews by then lose their access.');
    expect(opened('keep').text).toContain('https://am.example/access-reviews/r-1');
    expect(opened('keep').html).toContain('Greenville &lt;Medical&gt; Clinic');
    const reminder = render({ idempotencyKey: 'k', to, template: 'access-review-reminder', data: { ...base, undecided: 2, total: 3, unreviewedPolicy: 'keep' } });
    expect(reminder.subject).toBe('Reminder: 2 of 3 users of Greenville <Medical> Clinic still wait for your review');
  });

  it('alerts the help desk, naming the reviewers, and sums the review up at the end', () => {
    const escalated = render({ idempotencyKey: 'k', to, template: 'access-review-escalated', data: { ...base, undecided: 2, total: 3, reviewerNames: ['Kelly Dunn', 'Liz Lordis'] } });
    expect(escalated.text).toContain('Its reviewers: Kelly Dunn and Liz Lordis. Please follow up.');
    const done = (unreviewed: number, unreviewedPolicy: 'keep' | 'remove') =>
      render({ idempotencyKey: 'k', to, template: 'access-review-completed', data: { ...base, kept: 1, removed: 1, refused: 1, unreviewed, unreviewedPolicy } });
    expect(done(2, 'keep').text).toContain('1 kept, 1 removed, 1 removals refused by the removal rules. 2 users nobody reviewed kept their access');
    expect(done(2, 'remove').text).toContain('2 users nobody reviewed were removed');
    expect(done(0, 'keep').text).not.toContain('nobody reviewed');
    expect(renderNotice({ idempotencyKey: 'k', to, template: 'access-review-completed', data: { ...base, kept: 1, removed: 0, refused: 0, unreviewed: 0, unreviewedPolicy: 'keep' } }, ctx).link).toBe('https://am.example/access-reviews/r-1');
  });
});

describe('email-digest (issue 19)', () => {
  const request = (requestId: string, requesterName: string, justification: string | null = null) => ({ requestId, role: 'STAFF_USER' as const, requesterName, justification, submittedAt: '2026-12-01T14:05:00.000Z' });
  const digest = (total: number, organizations: Extract<NotificationInput, { template: 'email-digest' }>['data']['organizations']): NotificationInput => ({
    idempotencyKey: 'email-digest/u/2026-12-02',
    to: { email: 'so@example.com', displayName: 'Florian Parker' },
    template: 'email-digest',
    data: { localDate: '2026-12-02', total, organizations },
  });
  const orgs = [
    { id: 'o1', name: 'Davis Inc', kind: 'PRACTICE' as const, identifier: '000549237', requests: [request('r1', 'Marty Swanburger', 'I run <the> office'), request('r2', 'Ann Lee')] },
    { id: 'o2', name: 'Elig WI Org 11', kind: 'VIRTUAL_GROUP' as const, identifier: 'VG-11', requests: [request('r3', 'Ben Roe')] },
  ];

  it('lists the requests by organization, each with approve and deny links, in both parts', () => {
    const e = renderNotification(digest(3, orgs), ctx);
    expect(e.subject).toBe('Your daily digest: 3 requests wait for your decision');
    expect(e.text).toContain('Davis Inc (TIN: 000549237), 2 pending:');
    expect(e.text).toContain('Elig WI Org 11 (Virtual Group ID: VG-11), 1 pending:');
    expect(e.text.indexOf('Davis Inc')).toBeLessThan(e.text.indexOf('Elig WI Org 11'));
    expect(e.text).toContain('- Marty Swanburger requests the Staff User role (submitted 2026-12-01 14:05 UTC). Justification: I run <the> office');
    expect(e.text).toContain('Approve: https://am.example/manage-access?request=r1&decision=approve');
    expect(e.text).toContain('Deny: https://am.example/manage-access?request=r3&decision=deny');
    expect(e.html).toContain('href="https://am.example/manage-access?request&#x3D;r2&amp;decision&#x3D;approve"');
    expect(e.html).toContain('I run &lt;the&gt; office');
    expect(e.text).not.toContain('Manage Access has them all');
    expect(e.text).toContain('QPP@cms.hhs.gov');
  });

  it('says one request in the singular, and says when the list is cut short', () => {
    expect(renderNotification(digest(1, [{ ...orgs[1]! }]), ctx).subject).toBe('Your daily digest: 1 request waits for your decision');
    const cut = renderNotification(digest(250, orgs), ctx);
    expect(cut.text).toContain('250 requests wait for your decision on 2026-12-02. The first 3 are listed here; Manage Access has them all.');
    expect(renderNotice(digest(3, orgs), ctx).body).toBe('3 requests wait for your decision.');
  });
});
