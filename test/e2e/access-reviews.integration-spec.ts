// Issue 18, part 3: access reviews through the gateway against the real services, Temporal,
// PostgreSQL and SMTP server. This stack reminds every 6 s and alerts the help desk 9 s before the
// due date (test/setup/global-setup.ts); its yearly schedule is off (test/e2e/access-review-schedule
// runs it on a stack and database of its own).
import { randomBytes } from 'node:crypto';
import type { AccessReviewCampaignView, AccessReviewDecisionsView, AccessReviewView } from '@am/contracts';
import { query, waitFor } from '@am/devstack';
import { testStack } from '../setup/stack';
import { mailbox, signIn, type Api } from '../support/api';
import { createOrganization, createUser, grantRole, type TestOrganization, type TestUser } from '../support/factories';
import { recordHistoryIfAsked, temporalClient } from '../support/temporal';

const db = () => testStack().databaseUrl;
const keyOf = (m: { headers: Record<string, string> }) => m.headers['x-idempotency-key'];
const tag = () => randomBytes(3).toString('hex');
const dueIn = (ms: number) => new Date(Date.now() + ms).toISOString();

async function roleOf(user: TestUser, org: TestOrganization): Promise<string | undefined> {
  const rows = await query<{ role: string }>(db(), 'SELECT role::text FROM role_assignments WHERE user_id = $1::uuid AND organization_id = $2::uuid', [user.id, org.id]);
  return rows[0]?.role;
}

async function auditOf(organizationId: string, prefix: string) {
  return query<{ action: string; actor_id: string | null; subject_id: string | null; details: Record<string, unknown> }>(
    db(),
    'SELECT action, actor_id::text, subject_id, details FROM audit_events WHERE organization_id = $1::uuid AND action LIKE $2 ORDER BY id',
    [organizationId, `${prefix}%`],
  );
}

let helpDesk: Api;
let helpDeskUser: TestUser;
beforeAll(async () => {
  helpDeskUser = await createUser({ platformRole: 'HELP_DESK', displayName: `Hana Helpdesk ${tag()}` });
  helpDesk = await signIn(helpDeskUser);
});

/** The help desk starts a campaign for one organization; the review's id, from its Security Official's list. */
async function startReview(org: TestOrganization, official: Api, dueAt: string): Promise<{ campaign: AccessReviewCampaignView; review: AccessReviewView }> {
  const started = await helpDesk.post('/api/v1/access-reviews', { organizationId: org.id, dueAt });
  expect(started.status).toBe(201);
  const mine = (await official.get('/api/v1/me/access-reviews')).body.items as AccessReviewView[];
  const summary = mine.find((r) => r.organization.id === org.id);
  expect(summary).toBeDefined();
  const review = (await official.get(`/api/v1/access-reviews/${summary!.id}`)).body;
  return { campaign: started.body, review };
}

describe('access reviews (issue 18)', () => {
  it('a one-organization campaign: opened, decided (KEEP, REMOVE through the removal workflow, refusals), reminded, escalated, closed by the policy, summarised, audited', async () => {
    const t = tag();
    const org = await createOrganization({ name: `Review Clinic ${t}` });
    const [ada, bo, sam, sue, sid] = await Promise.all(['Ada Official', 'Bo Official', 'Sam Staff', 'Sue Staff', 'Sid Staff'].map((n) => createUser({ displayName: `${n} ${t}` })));
    await Promise.all([
      grantRole(ada!, org, 'SECURITY_OFFICIAL'),
      grantRole(bo!, org, 'SECURITY_OFFICIAL'),
      grantRole(sam!, org, 'STAFF_USER'),
      grantRole(sue!, org, 'STAFF_USER'),
      grantRole(sid!, org, 'STAFF_USER'),
    ]);
    const [asAda, asBo] = await Promise.all([signIn(ada!), signIn(bo!)]);
    const dueAt = dueIn(24_000);

    const { campaign, review } = await startReview(org, asAda, dueAt);
    expect(campaign).toMatchObject({
      workflowId: `access-review-campaign-${campaign.id}`,
      organization: { id: org.id, name: org.name },
      startedBy: { id: helpDeskUser.id },
      dueAt,
      status: 'OPEN',
      reviews: { total: 1, completed: 0 },
      items: { total: 5, decided: 0 },
    });
    expect(review).toMatchObject({ kind: 'review', workflowId: `access-review-${review.id}`, campaignId: campaign.id, status: 'OPEN', unreviewedPolicy: 'keep', counts: { total: 5, undecided: 5 } });
    // Security Officials first, then by name.
    expect(review.items.map((i) => i.user.id)).toEqual([ada!.id, bo!.id, sam!.id, sid!.id, sue!.id]);

    // Both officials are asked, by email, in the real SMTP server.
    const inbox = mailbox();
    for (const who of [ada!, bo!]) {
      const opened = await inbox.waitForMessage((m) => keyOf(m) === `access-review-${review.id}/opened/${who.id}`);
      expect(opened.to[0]!.address).toBe(who.email);
      expect(opened.subject).toBe(`Review who has access to ${org.name} by ${dueAt.slice(0, 10)}`);
      expect(opened.text).toContain(`/access-reviews/${review.id}`);
    }

    // Ada keeps Sam, removes Sue, and cannot remove herself: each decided as if alone.
    const decided = await asAda.post(`/api/v1/access-reviews/${review.id}/decisions`, {
      items: [
        { userId: sam!.id, decision: 'KEEP' },
        { userId: sue!.id, decision: 'REMOVE' },
        { userId: ada!.id, decision: 'REMOVE' },
      ],
    });
    expect(decided.status).toBe(200);
    const d: AccessReviewDecisionsView = decided.body;
    expect(d.results.map((r) => [r.userId, r.status])).toEqual([
      [sam!.id, 'RECORDED'],
      [sue!.id, 'RECORDED'],
      [ada!.id, 'REFUSED'],
    ]);
    expect(d.results[0]!.item).toMatchObject({ decision: 'KEEP', decidedBy: { id: ada!.id }, decidedByPolicy: false, removal: null });
    expect(d.results[1]!.item).toMatchObject({ decision: 'REMOVE', removal: { status: expect.stringMatching(/^(PENDING|REMOVED)$/) } });
    expect(d.results[2]!.error).toMatchObject({ code: 'FORBIDDEN', field: 'userId', message: expect.stringContaining('your own access') });
    const removalId = d.results[1]!.item!.removal!.id;

    // The REMOVE ran through the removal workflow: the role is gone, Sue is emailed, the item says so.
    await waitFor('Sue removed', async () => ((await roleOf(sue!, org)) === undefined ? true : undefined), 20_000);
    const removed = await inbox.waitForMessage((m) => keyOf(m) === `access-removal-${removalId}/removed-user`);
    expect(removed.to[0]!.address).toBe(sue!.email);
    await waitFor('the removal recorded on the item', async () => {
      const r: AccessReviewView = (await asAda.get(`/api/v1/access-reviews/${review.id}`)).body;
      return r.items.find((i) => i.user.id === sue!.id)?.removal?.status === 'REMOVED' ? r : undefined;
    });

    // Two officials decide Sid at the same instant: one outcome, the other told who decided first.
    const [a, b] = await Promise.all([
      asAda.post(`/api/v1/access-reviews/${review.id}/decisions`, { items: [{ userId: sid!.id, decision: 'KEEP' }] }),
      asBo.post(`/api/v1/access-reviews/${review.id}/decisions`, { items: [{ userId: sid!.id, decision: 'REMOVE' }] }),
    ]);
    const outcomes = [a.body.results[0], b.body.results[0]];
    expect(outcomes.map((o) => o.status).sort()).toEqual(['RECORDED', 'REFUSED']);
    const refused = outcomes.find((o) => o.status === 'REFUSED');
    const winner = outcomes.find((o) => o.status === 'RECORDED');
    expect(refused.error).toMatchObject({ code: 'ALREADY_DECIDED', details: { decision: winner.item.decision } });
    if (winner.item.decision === 'REMOVE') await waitFor('Sid removed', async () => ((await roleOf(sid!, org)) === undefined ? true : undefined), 20_000);
    else expect(await roleOf(sid!, org)).toBe('STAFF_USER');

    // Nobody decides on Ada and Bo: a reminder to both, then the help desk's alert 9 s before the due date.
    const reminder = await inbox.waitForMessage((m) => keyOf(m) === `access-review-${review.id}/reminder-1/${bo!.id}`, 20_000);
    expect(reminder.subject).toBe(`Reminder: 2 of 5 users of ${org.name} still wait for your review`);
    const escalated = await inbox.waitForMessage((m) => keyOf(m) === `access-review-${review.id}/escalated/${helpDeskUser.id}`, 25_000);
    expect(escalated.subject).toBe(`Access review of ${org.name} is due ${dueAt.slice(0, 10)} with 2 users unreviewed`);
    expect(escalated.text).toContain(ada!.displayName);

    // The due date: the policy (keep) decides Ada and Bo; the review completes and both are told.
    const summary = await inbox.waitForMessage((m) => keyOf(m) === `access-review-${review.id}/completed/${ada!.id}`, 30_000);
    expect(summary.subject).toBe(`The access review of ${org.name} is complete`);
    expect(summary.text).toContain('2 users nobody reviewed kept their access');
    const closed: AccessReviewView = (await asAda.get(`/api/v1/access-reviews/${review.id}`)).body;
    expect(closed.status).toBe('COMPLETED');
    expect(Date.parse(closed.completedAt!)).toBeGreaterThanOrEqual(Date.parse(dueAt));
    const sidKept = winner.item.decision === 'KEEP';
    expect(closed.counts).toEqual({ total: 5, kept: sidKept ? 4 : 3, removed: sidKept ? 1 : 2, removing: 0, refused: 0, undecided: 0 });
    expect(closed.items.filter((i) => i.decidedByPolicy).map((i) => [i.user.id, i.decision])).toEqual([
      [ada!.id, 'KEEP'],
      [bo!.id, 'KEEP'],
    ]);
    expect(await roleOf(ada!, org)).toBe('SECURITY_OFFICIAL');

    // Closed: a late decision is refused, naming when.
    const late = await asBo.post(`/api/v1/access-reviews/${review.id}/decisions`, { items: [{ userId: ada!.id, decision: 'REMOVE' }] });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'ACCESS_REVIEW_CLOSED', details: { completedAt: closed.completedAt } });
    expect((await asAda.get('/api/v1/me/access-reviews')).body.items.map((r: AccessReviewView) => r.id)).not.toContain(review.id);

    // The help desk sees the campaign complete, its organization's review in it.
    const seen = (await helpDesk.get(`/api/v1/access-reviews/${campaign.id}`)).body;
    expect(seen).toMatchObject({ kind: 'campaign', id: campaign.id, status: 'COMPLETED', reviews: { total: 1, completed: 1 }, items: { total: 5, decided: 5 } });
    expect(seen.organizations.items).toEqual([expect.objectContaining({ id: review.id, status: 'COMPLETED', organization: expect.objectContaining({ id: org.id }) })]);
    expect((await helpDesk.get('/api/v1/access-reviews?pageSize=100')).body.items.map((c: AccessReviewCampaignView) => c.id)).toContain(campaign.id);

    // The audit: the campaign, every decision by its decider, the reminders, the alert, the policy, the completion.
    const events = await auditOf(org.id, 'access-review.');
    const actions = events.map((e) => e.action);
    expect(actions[0]).toBe('access-review.campaign-started');
    expect(events.filter((e) => e.action === 'access-review.decided').map((e) => [e.subject_id, e.details.decision])).toEqual([
      [sam!.id, 'KEEP'],
      [sue!.id, 'REMOVE'],
      [sid!.id, winner.item.decision],
    ]);
    expect(actions).toEqual(expect.arrayContaining(['access-review.reminded', 'access-review.escalated', 'access-review.unreviewed-decided']));
    expect(actions[actions.length - 1]).toBe('access-review.completed');
    expect(events[events.length - 1]!.details).toMatchObject({ campaignId: campaign.id, total: 5, undecided: 0 });
    const removals = await auditOf(org.id, 'access.removed');
    expect(removals.find((e) => e.subject_id === sue!.id)).toMatchObject({ actor_id: ada!.id, details: { accessReview: { reviewId: review.id, byPolicy: false } } });

    // For the replay test: the help desk's campaign, the review decided and raced, the removal it ran.
    if (process.env.RECORD_HISTORIES) {
      const temporal = await temporalClient();
      await recordHistoryIfAsked(temporal.client, campaign.workflowId, 'access-review-campaign');
      await recordHistoryIfAsked(temporal.client, review.workflowId, 'access-review-decided');
      await recordHistoryIfAsked(temporal.client, `access-removal-${removalId}`, 'access-removal-by-review');
      await temporal.close();
    }
  });

  it('the last Security Official is never removed by a review, not even by the help desk; each refusal names its rule', async () => {
    const t = tag();
    const org = await createOrganization({ name: `Solo Clinic ${t}` });
    const [olive, tom] = await Promise.all([createUser({ displayName: `Olive Only ${t}` }), createUser({ displayName: `Tom Staff ${t}` })]);
    await Promise.all([grantRole(olive, org, 'SECURITY_OFFICIAL'), grantRole(tom, org, 'STAFF_USER')]);
    const asOlive = await signIn(olive);
    const { review } = await startReview(org, asOlive, dueIn(60_000));

    const byHelpDesk = await helpDesk.post(`/api/v1/access-reviews/${review.id}/decisions`, { items: [{ userId: olive.id, decision: 'REMOVE' }] });
    expect(byHelpDesk.status).toBe(200);
    expect(byHelpDesk.body.results[0]).toMatchObject({ status: 'REFUSED', error: { code: 'FORBIDDEN', field: 'userId', message: expect.stringContaining('only Security Official') } });
    expect(await roleOf(olive, org)).toBe('SECURITY_OFFICIAL');
    // Nothing recorded: the item is undecided still, and no decision was audited.
    const now: AccessReviewView = (await asOlive.get(`/api/v1/access-reviews/${review.id}`)).body;
    expect(now.items.find((i) => i.user.id === olive.id)).toMatchObject({ decision: null, removal: null });
    expect((await auditOf(org.id, 'access-review.decided')).length).toBe(0);

    // Not under review, or not a reviewer.
    const stranger = await createUser();
    const notUnder = await asOlive.post(`/api/v1/access-reviews/${review.id}/decisions`, { items: [{ userId: stranger.id, decision: 'KEEP' }] });
    expect(notUnder.body.results[0]).toMatchObject({ status: 'REFUSED', error: { code: 'NOT_FOUND', field: 'userId' } });
    const asTom = await signIn(tom);
    const byStaff = await asTom.post(`/api/v1/access-reviews/${review.id}/decisions`, { items: [{ userId: tom.id, decision: 'KEEP' }] });
    expect(byStaff.status).toBe(403);
    expect((await asTom.get(`/api/v1/access-reviews/${review.id}`)).status).toBe(403);
    expect((await asOlive.get(`/api/v1/access-reviews/${review.campaignId}`)).status).toBe(403);
  });

  it('starting a campaign: the help desk only; every bad input is a 4xx naming its field, with nothing started', async () => {
    const t = tag();
    const org = await createOrganization({ name: `Checked Clinic ${t}` });
    const official = await createUser();
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const asOfficial = await signIn(official);
    const campaigns = async () => (await query<{ n: number }>(db(), 'SELECT count(*)::int AS n FROM access_review_campaigns WHERE organization_id = $1::uuid', [org.id]))[0]!.n;

    expect((await asOfficial.post('/api/v1/access-reviews', { organizationId: org.id, dueAt: dueIn(60_000) })).status).toBe(403);
    expect((await asOfficial.get('/api/v1/access-reviews')).status).toBe(403);
    const cases: [unknown, number, string][] = [
      [{ organizationId: org.id }, 400, 'dueAt'],
      [{ organizationId: org.id, dueAt: 'next week' }, 400, 'dueAt'],
      [{ organizationId: 'acme', dueAt: dueIn(60_000) }, 400, 'organizationId'],
      [{ organizationId: org.id, dueAt: dueIn(-60_000) }, 400, 'dueAt'],
      [{ organizationId: org.id, dueAt: dueIn(400 * 86_400_000) }, 400, 'dueAt'],
      [{ organizationId: org.id, dueAt: dueIn(60_000), extra: 1 }, 400, 'extra'],
    ];
    for (const [body, status, field] of cases) {
      const res = await helpDesk.post('/api/v1/access-reviews', body);
      expect({ body, status: res.status, field: res.body.error.field }).toEqual({ body, status, field });
    }
    const unknownOrg = await helpDesk.post('/api/v1/access-reviews', { organizationId: '00000000-0000-4000-8000-000000000000', dueAt: dueIn(60_000) });
    expect(unknownOrg.status).toBe(404);
    const aco = await createOrganization({ kind: 'APM_ENTITY', sharedSavingsAco: true });
    await grantRole(official, aco, 'SECURITY_OFFICIAL');
    expect((await helpDesk.post('/api/v1/access-reviews', { organizationId: aco.id, dueAt: dueIn(60_000) })).body.error).toMatchObject({ code: 'MANAGED_IN_ACO_MS', field: 'organizationId' });
    const empty = await createOrganization();
    expect((await helpDesk.post('/api/v1/access-reviews', { organizationId: empty.id, dueAt: dueIn(60_000) })).body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'organizationId' });
    expect(await campaigns()).toBe(0);

    // One open review per organization: a second campaign for it is refused, naming the open one.
    const first = await helpDesk.post('/api/v1/access-reviews', { organizationId: org.id, dueAt: dueIn(60_000) });
    expect(first.status).toBe(201);
    const second = await helpDesk.post('/api/v1/access-reviews', { organizationId: org.id, dueAt: dueIn(60_000) });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'ACCESS_REVIEW_OPEN', field: 'organizationId', details: { reviewId: expect.any(String) } });
    expect(await campaigns()).toBe(1);

    // Decisions: the body's rules, each naming its field.
    const reviewId = second.body.error.details.reviewId as string;
    const bad: [unknown, string][] = [
      [{}, 'items'],
      [{ items: [] }, 'items'],
      [{ items: [{ userId: official.id, decision: 'DELETE' }] }, 'items.0.decision'],
      [{ items: [{ userId: 'x', decision: 'KEEP' }] }, 'items.0.userId'],
      [{ items: [{ userId: official.id, decision: 'KEEP' }, { userId: official.id, decision: 'REMOVE' }] }, 'items.1.userId'],
      [{ items: Array.from({ length: 501 }, () => ({ userId: official.id, decision: 'KEEP' })) }, 'items'],
    ];
    for (const [body, field] of bad) {
      const res = await asOfficial.post(`/api/v1/access-reviews/${reviewId}/decisions`, body);
      expect({ status: res.status, field: res.body.error?.field }).toEqual({ status: 400, field });
    }
    expect((await asOfficial.get('/api/v1/access-reviews/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
