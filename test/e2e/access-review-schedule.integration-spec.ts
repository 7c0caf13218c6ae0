// Issue 18, part 4: the yearly access review campaign, started by its Temporal Schedule. A stack of
// its own (services, task queues, schedule) on a database of its own, so that a campaign over every
// organization reviews this test's organizations only. The schedule's day is today (the directory
// accepts a campaign without a person's proof on that day only, once a year); it is triggered, as an
// operator does from Temporal's UI; the campaign is due 20 s later and removes whom nobody reviewed
// (ACCESS_REVIEW_UNREVIEWED=remove), but never an organization's last Security Official.
import { randomBytes } from 'node:crypto';
import type { AccessReviewView } from '@am/contracts';
import { createScratchDatabase, query, waitFor, type RunningServices, type ScratchDatabase } from '@am/devstack';
import { accessReviewScheduleId, accessReviewWorkflowId, ACCESS_REVIEW_CAMPAIGN_WORKFLOW } from '@am/workflow-contracts';
import { testStack } from '../setup/stack';
import { mailbox, signIn } from '../support/api';
import { startExtraStack } from '../support/extra-stack';
import { createOrganization, createUser, grantRole, type TestOrganization, type TestUser } from '../support/factories';
import { recordHistoryIfAsked, temporalClient } from '../support/temporal';

const keyOf = (m: { headers: Record<string, string> }) => m.headers['x-idempotency-key'];

describe('the yearly access review campaign (issue 18)', () => {
  let scratch: ScratchDatabase;
  let stack: RunningServices;
  let temporal: Awaited<ReturnType<typeof temporalClient>>;
  const name = 'review-schedule';
  const today = new Date().toISOString().slice(5, 10);
  const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'];

  beforeAll(async () => {
    scratch = await createScratchDatabase(testStack().databaseUrl);
    stack = await startExtraStack(name, {
      DATABASE_URL: scratch.url,
      ACCESS_REVIEW_YEARLY_ON: today,
      ACCESS_REVIEW_DUE_AFTER: '20s',
      ACCESS_REVIEW_REMINDER_INTERVAL: '6s',
      ACCESS_REVIEW_ESCALATE_BEFORE: '9s',
      ACCESS_REVIEW_UNREVIEWED: 'remove',
    });
    temporal = await temporalClient();
  });

  afterAll(async () => {
    await temporal?.client.schedule.getHandle(accessReviewScheduleId(`${name}-${process.pid}`)).delete().catch(() => undefined);
    await temporal?.close();
    await stack?.stop();
    await scratch?.drop();
  });

  it('is a schedule in Temporal; triggered, it reviews every organization, keeps what was kept, removes the unreviewed, never the last Security Official', async () => {
    const db = scratch.url;
    const t = randomBytes(3).toString('hex');
    const people = async (n: string) => createUser({ displayName: `${n} ${t}`, databaseUrl: db });
    const [olive, tom, tess, quinn] = await Promise.all([people('Olive Official'), people('Tom Staff'), people('Tess Staff'), people('Quinn Only')]);
    const helpDeskUser = await createUser({ displayName: `Hal Helpdesk ${t}`, platformRole: 'HELP_DESK', databaseUrl: db });
    const [practice, solo, aco] = await Promise.all([
      createOrganization({ name: `Yearly Clinic ${t}`, databaseUrl: db }),
      createOrganization({ name: `Solo Practice ${t}`, databaseUrl: db }),
      createOrganization({ kind: 'APM_ENTITY', name: `Shared Savings ACO ${t}`, sharedSavingsAco: true, databaseUrl: db }),
    ]);
    await Promise.all([
      grantRole(olive, practice, 'SECURITY_OFFICIAL', db),
      grantRole(tom, practice, 'STAFF_USER', db),
      grantRole(tess, practice, 'STAFF_USER', db),
      grantRole(quinn, solo, 'SECURITY_OFFICIAL', db),
      grantRole(quinn, aco, 'SECURITY_OFFICIAL', db),
    ]);
    await createOrganization({ name: `Nobody Connected ${t}`, databaseUrl: db });

    // The schedule, as Temporal's UI shows it: every year on the configured day, starting the campaign workflow.
    const schedule = temporal.client.schedule.getHandle(accessReviewScheduleId(`${name}-${process.pid}`));
    const described = await waitFor('the yearly schedule', async () => schedule.describe().catch(() => undefined), 30_000);
    const [month, day] = today.split('-').map(Number) as [number, number];
    const monthName = MONTHS[month - 1];
    expect(described.spec.calendars).toEqual([expect.objectContaining({ month: [{ start: monthName, end: monthName, step: 1 }], dayOfMonth: [{ start: day, end: day, step: 1 }], hour: [{ start: 5, end: 5, step: 1 }] })]);
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: ACCESS_REVIEW_CAMPAIGN_WORKFLOW });

    await schedule.trigger();
    const campaign = await waitFor(
      'the campaign the schedule started',
      async () => (await query<{ id: string; started_by_id: string | null; due_at: Date; created_at: Date }>(db, 'SELECT id::text, started_by_id::text, due_at, created_at FROM access_review_campaigns'))[0],
      30_000,
    );
    expect(campaign.started_by_id).toBeNull();
    // Due ACCESS_REVIEW_DUE_AFTER (20 s) after the schedule's run started, which is a moment before the campaign was recorded.
    const ahead = campaign.due_at.getTime() - campaign.created_at.getTime();
    expect(ahead).toBeLessThanOrEqual(20_000);
    expect(ahead).toBeGreaterThan(10_000);
    // One review per organization with connected users, but the Shared Savings ACO (ACO-MS manages its roles).
    const reviews = await query<{ id: string; organization_id: string }>(db, 'SELECT id::text, organization_id::text FROM access_reviews WHERE campaign_id = $1::uuid', [campaign.id]);
    expect(reviews.map((r) => r.organization_id).sort()).toEqual([practice.id, solo.id].sort());
    const reviewOf = (org: TestOrganization) => reviews.find((r) => r.organization_id === org.id)!.id;

    // Each review's workflow asks its Security Official, by email.
    const inbox = mailbox();
    await inbox.waitForMessage((m) => keyOf(m) === `access-review-${reviewOf(practice)}/opened/${olive.id}`);
    const quinnAsked = await inbox.waitForMessage((m) => keyOf(m) === `access-review-${reviewOf(solo)}/opened/${quinn.id}`);
    expect(quinnAsked.text).toContain('Users nobody reviews by then lose their access.');

    // Olive keeps Tom, through this stack's gateway; nobody reviews Tess, Olive or Quinn.
    const asOlive = await signIn(olive, stack.gatewayUrl);
    const kept = await asOlive.post(`/api/v1/access-reviews/${reviewOf(practice)}/decisions`, { items: [{ userId: tom.id, decision: 'KEEP' }] });
    expect(kept.status).toBe(200);
    expect(kept.body.results[0]).toMatchObject({ status: 'RECORDED' });
    // The help desk cannot remove Quinn, the only Security Official of the solo practice: refused, naming the rule, nothing recorded.
    const asHelpDesk = await signIn(helpDeskUser, stack.gatewayUrl);
    const last = await asHelpDesk.post(`/api/v1/access-reviews/${reviewOf(solo)}/decisions`, { items: [{ userId: quinn.id, decision: 'REMOVE' }] });
    expect(last.body.results[0]).toMatchObject({ status: 'REFUSED', error: { code: 'FORBIDDEN', field: 'userId', message: expect.stringContaining('only Security Official') } });

    // Reminders on the review's timer while users wait, and the help desk's alert 9 s before the due date.
    const reminder = await inbox.waitForMessage((m) => keyOf(m) === `access-review-${reviewOf(practice)}/reminder-1/${olive.id}`, 20_000);
    expect(reminder.subject).toBe(`Reminder: 2 of 3 users of ${practice.name} still wait for your review`);
    const alert = await inbox.waitForMessage((m) => keyOf(m) === `access-review-${reviewOf(solo)}/escalated/${helpDeskUser.id}`, 20_000);
    expect(alert.to[0]!.address).toBe(helpDeskUser.email);

    // The due date: Tess is removed by the policy, through a removal workflow; Olive and Quinn stay, each their organization's last official.
    const roleOf = async (u: TestUser, o: TestOrganization) => (await query<{ role: string }>(db, 'SELECT role::text FROM role_assignments WHERE user_id = $1::uuid AND organization_id = $2::uuid', [u.id, o.id]))[0]?.role;
    const summary = await inbox.waitForMessage((m) => keyOf(m) === `access-review-${reviewOf(practice)}/completed/${olive.id}`, 60_000);
    expect(summary.text).toContain('were removed, as the review');
    await inbox.waitForMessage((m) => keyOf(m) === `access-review-${reviewOf(solo)}/completed/${quinn.id}`, 30_000);
    expect(await roleOf(tess, practice)).toBeUndefined();
    expect(await roleOf(tom, practice)).toBe('STAFF_USER');
    expect(await roleOf(olive, practice)).toBe('SECURITY_OFFICIAL');
    expect(await roleOf(quinn, solo)).toBe('SECURITY_OFFICIAL');
    const removedEmail = await inbox.waitForMessage((m) => m.to[0]?.address === tess.email && m.subject.includes(practice.name));
    expect(removedEmail.text).toContain(`The access review of ${practice.name}`);

    const review: AccessReviewView = (await asOlive.get(`/api/v1/access-reviews/${reviewOf(practice)}`)).body;
    expect(review).toMatchObject({ status: 'COMPLETED', unreviewedPolicy: 'remove', counts: { total: 3, kept: 1, removed: 1, refused: 1, removing: 0, undecided: 0 } });
    expect(review.items.find((i) => i.user.id === tess.id)).toMatchObject({ decision: 'REMOVE', decidedByPolicy: true, decidedBy: null, removal: { status: 'REMOVED' } });
    expect(review.items.find((i) => i.user.id === olive.id)).toMatchObject({
      decision: 'REMOVE',
      decidedByPolicy: true,
      removal: { status: 'REFUSED', refusal: expect.stringContaining('only Security Official') },
    });
    const removal = await query<{ actor_id: string | null; details: Record<string, unknown> }>(db, "SELECT actor_id::text, details FROM audit_events WHERE action = 'access.removed' AND subject_id = $1", [tess.id]);
    expect(removal).toEqual([expect.objectContaining({ actor_id: null, details: expect.objectContaining({ accessReview: { reviewId: reviewOf(practice), byPolicy: true } }) })]);

    // Once a year: a second run (or anyone reaching Temporal, starting the campaign workflow without a person's proof) is refused; nothing recorded.
    await schedule.trigger();
    const second = await waitFor('the second run', async () => {
      const runs = (await schedule.describe()).info.recentActions;
      return runs.length >= 2 ? runs[runs.length - 1]!.action.workflow.workflowId : undefined;
    });
    await expect(temporal.client.workflow.getHandle(second).result()).rejects.toThrow();
    expect((await query<{ n: number }>(db, 'SELECT count(*)::int AS n FROM access_review_campaigns'))[0]!.n).toBe(1);
    const refusal = await query<{ n: number }>(db, "SELECT count(*)::int AS n FROM audit_events WHERE action = 'access-review.campaign-started'");
    expect(refusal[0]!.n).toBe(1);

    // The schedule's run and the campaign's own workflow, for the replay test.
    const run = (await schedule.describe()).info.recentActions[0]!.action.workflow.workflowId;
    await recordHistoryIfAsked(temporal.client, run, 'access-review-scheduled-run');
    await recordHistoryIfAsked(temporal.client, `access-review-campaign-${campaign.id}`, 'access-review-scheduled-campaign');
    await recordHistoryIfAsked(temporal.client, accessReviewWorkflowId(reviewOf(practice)), 'access-review-policy-remove');
    const tessRemoval = review.items.find((i) => i.user.id === tess.id)!.removal!.id;
    await recordHistoryIfAsked(temporal.client, `access-removal-${tessRemoval}`, 'access-removal-by-review-policy');
  });
});
