import { accessReviewTimings, loadAccessWorkflowsConfig as load, requestTimings } from './access-workflows.config';

const KEYS = { CALLER_PROOF_PUBLIC_KEYS: JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', kid: 'unit', x: 'x'.repeat(43) }] }) };
const loadAccessWorkflowsConfig = (env: Record<string, string>) => load({ ...KEYS, ...env });

describe('access-workflows configuration', () => {
  it('defaults to rule 7 (first reminder after 2 days, then every 3 days, help desk with the 3rd, expiry after 30 days) and a 10-minute undo window for denials', () => {
    expect(requestTimings(loadAccessWorkflowsConfig({}))).toEqual({
      firstReminderAfterMs: 2 * 86_400_000,
      reminderIntervalMs: 3 * 86_400_000,
      escalateWithReminder: 3,
      expireAfterMs: 30 * 86_400_000,
      denyUndoWindowMs: 10 * 60_000,
    });
  });

  it('reads durations such as "36h" or "90s"', () => {
    const c = loadAccessWorkflowsConfig({ REMINDER_FIRST_AFTER: '36h', REMINDER_INTERVAL: '90s', REQUEST_EXPIRES_AFTER: '10 days', DENY_UNDO_WINDOW: '20s' });
    expect([c.REMINDER_FIRST_AFTER, c.REMINDER_INTERVAL, c.REQUEST_EXPIRES_AFTER, c.DENY_UNDO_WINDOW]).toEqual([36 * 3_600_000, 90_000, 10 * 86_400_000, 20_000]);
  });

  it('expires an unanswered nomination after 14 days by default, or as configured (issue 18)', () => {
    expect(loadAccessWorkflowsConfig({}).NOMINATION_EXPIRES_AFTER).toBe(14 * 86_400_000);
    expect(loadAccessWorkflowsConfig({ NOMINATION_EXPIRES_AFTER: '15s' }).NOMINATION_EXPIRES_AFTER).toBe(15_000);
    expect(() => loadAccessWorkflowsConfig({ NOMINATION_EXPIRES_AFTER: 'never' })).toThrow(/NOMINATION_EXPIRES_AFTER: must be a positive duration/);
  });

  it('access reviews (issue 18): a yearly campaign on 1 December due 30 days later, weekly reminders, the help desk 3 days before, the unreviewed kept', () => {
    const c = loadAccessWorkflowsConfig({});
    expect([c.ACCESS_REVIEW_YEARLY_ON, c.ACCESS_REVIEW_DUE_AFTER]).toEqual(['12-01', 30 * 86_400_000]);
    expect(accessReviewTimings(c)).toEqual({ reminderIntervalMs: 7 * 86_400_000, escalateBeforeMs: 3 * 86_400_000, unreviewedPolicy: 'keep' });
    expect(accessReviewTimings(loadAccessWorkflowsConfig({ ACCESS_REVIEW_UNREVIEWED: 'remove' })).unreviewedPolicy).toBe('remove');
    expect(loadAccessWorkflowsConfig({ ACCESS_REVIEW_YEARLY_ON: 'off' }).ACCESS_REVIEW_YEARLY_ON).toBe('off');
    for (const bad of ['12-32', '13-01', '1-5', 'december']) expect(() => loadAccessWorkflowsConfig({ ACCESS_REVIEW_YEARLY_ON: bad })).toThrow(/ACCESS_REVIEW_YEARLY_ON: must be a date MM-DD/);
    expect(() => loadAccessWorkflowsConfig({ ACCESS_REVIEW_UNREVIEWED: 'delete' })).toThrow(/ACCESS_REVIEW_UNREVIEWED/);
  });

  it('runs the daily digest schedule every 15 minutes by default, as configured, or not at all (issue 19)', () => {
    expect(loadAccessWorkflowsConfig({}).DIGEST_RUN_EVERY).toBe(15 * 60_000);
    expect(loadAccessWorkflowsConfig({ DIGEST_RUN_EVERY: '30m' }).DIGEST_RUN_EVERY).toBe(30 * 60_000);
    expect(loadAccessWorkflowsConfig({ DIGEST_RUN_EVERY: 'off' }).DIGEST_RUN_EVERY).toBe('off');
    expect(() => loadAccessWorkflowsConfig({ DIGEST_RUN_EVERY: 'hourly', REMINDER_INTERVAL: 'never' })).toThrow(
      /REMINDER_INTERVAL: must be a positive duration[\s\S]*DIGEST_RUN_EVERY: must be a positive duration such as "15 minutes", or "off" \(got "hourly"\)/,
    );
  });

  it('lists every invalid duration at once', () => {
    expect(() => loadAccessWorkflowsConfig({ REMINDER_FIRST_AFTER: 'soon', REQUEST_EXPIRES_AFTER: '0s', ESCALATE_WITH_REMINDER: '0' })).toThrow(
      /REMINDER_FIRST_AFTER: must be a positive duration[\s\S]*ESCALATE_WITH_REMINDER[\s\S]*REQUEST_EXPIRES_AFTER: must be a positive duration/,
    );
  });
});

describe('caller-proof keys in the configuration', () => {
  it('are required, and must be public Ed25519 keys with ids', () => {
    expect(() => load({})).toThrow(/CALLER_PROOF_PUBLIC_KEYS: is required/);
    const withPrivate = JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', kid: 'k', x: 'x'.repeat(43), d: 'd'.repeat(43) }] });
    expect(() => load({ CALLER_PROOF_PUBLIC_KEYS: withPrivate })).toThrow(/CALLER_PROOF_PUBLIC_KEYS/);
    expect(() => load({ CALLER_PROOF_PUBLIC_KEYS: 'not json' })).toThrow(/CALLER_PROOF_PUBLIC_KEYS: must be JSON/);
  });
});
