import type { NotificationTemplate, Person } from '@am/workflow-contracts';
import { noticeInput } from '../src/workflows/role-request-parts';

// Issue 19: the notices that ask an approver on the daily digest to decide go in-app only
// (digest: true); everything else, and everyone else, is emailed as before.
const base = { requestId: 'r1', role: 'STAFF_USER' as const, organizationName: 'Acme Clinic, LLC' };
const notices: NotificationTemplate[] = [
  { template: 'request-submitted-approver', data: { ...base, requesterName: 'Thomas Miller', justification: null } },
  { template: 'request-reminder', data: { ...base, requesterName: 'Thomas Miller', reminder: 1, submittedAt: '2026-12-01T10:00:00.000Z' } },
  { template: 'request-escalated', data: { ...base, requesterName: 'Thomas Miller', reminders: 3, submittedAt: '2026-12-01T10:00:00.000Z', approverNames: ['A'] } },
  { template: 'decision-confirmed', data: { ...base, decision: 'APPROVED', requesterName: 'Thomas Miller' } },
  { template: 'request-withdrawn', data: { ...base, requesterName: 'Thomas Miller', audience: 'approver' } },
  { template: 'request-submitted-requester', data: { ...base, approverNames: ['A'] } },
];
const daily: Person = { id: 'u1', displayName: 'Dana Daily', email: 'dana@example.com', dailyDigest: true };
const immediate: Person = { id: 'u2', displayName: 'Ian Immediate', email: 'ian@example.com' };

describe('noticeInput and the daily digest (issue 19)', () => {
  it('leaves only the submitted and reminder emails of an approver on the daily digest to the digest', () => {
    const digested = notices.filter((n) => noticeInput('r1', { key: 'k', to: daily, notice: n }).digest === true).map((n) => n.template);
    expect(digested).toEqual(['request-submitted-approver', 'request-reminder']);
  });

  it('emails everyone else as before, with the input it always had (no digest field)', () => {
    for (const n of notices) {
      const input = noticeInput('r1', { key: 'submitted/approver/u2', to: immediate, notice: n });
      expect(input).toEqual({ idempotencyKey: 'role-request-r1/submitted/approver/u2', to: { email: 'ian@example.com', displayName: 'Ian Immediate', userId: 'u2' }, ...n });
      expect('digest' in input).toBe(false);
    }
  });

  it('keeps the recipient’s user id for the in-app notice, and never passes dailyDigest on', () => {
    const input = noticeInput('r1', { key: 'reminder-1/u1', to: daily, notice: notices[1]! });
    expect(input.to).toEqual({ email: 'dana@example.com', displayName: 'Dana Daily', userId: 'u1' });
    expect(input.idempotencyKey).toBe('role-request-r1/reminder-1/u1');
  });
});
