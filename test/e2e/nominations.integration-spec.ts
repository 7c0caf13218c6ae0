// Issue 18, part 2: nominating a backup Security Official, through the gateway against the real
// services, Temporal, PostgreSQL and SMTP server. Accepted (the role granted, coverage SINGLE ->
// COVERED), declined, expired (NOMINATION_EXPIRES_AFTER is 15 s in this stack), every refusal with
// nothing written, the first answer winning a race, and a nominator removed before the acceptance.
import { randomBytes } from 'node:crypto';
import type { NominationView } from '@am/contracts';
import { query } from '@am/devstack';
import { testStack } from '../setup/stack';
import { mailbox, signIn, type Api } from '../support/api';
import { createOrganization, createUser, grantRole, type TestOrganization, type TestUser } from '../support/factories';

const db = () => testStack().databaseUrl;
const keyOf = (m: { headers: Record<string, string> }) => m.headers['x-idempotency-key'];

type Nomination = NominationView;

async function audit(subjectId: string): Promise<{ action: string; actor_id: string | null; details: Record<string, unknown> }[]> {
  return query(db(), 'SELECT action, actor_id, details FROM audit_events WHERE subject_id = $1 ORDER BY id', [subjectId]);
}

async function roleOf(user: TestUser, org: TestOrganization): Promise<string | undefined> {
  const rows = await query<{ role: string }>(db(), 'SELECT role::text FROM role_assignments WHERE user_id = $1::uuid AND organization_id = $2::uuid', [user.id, org.id]);
  return rows[0]?.role;
}

async function nominationsAt(org: TestOrganization): Promise<number> {
  const [row] = await query<{ n: number }>(db(), 'SELECT count(*)::int AS n FROM nominations WHERE organization_id = $1::uuid', [org.id]);
  return row!.n;
}

/** An organization with one Security Official (signed in) and a connected Staff User. */
async function practice(tag: string) {
  const org = await createOrganization({ name: `Backup Clinic ${tag}` });
  const [official, staff] = await Promise.all([createUser({ displayName: `Olive Official ${tag}` }), createUser({ displayName: `Sam Staff ${tag}` })]);
  await Promise.all([grantRole(official, org, 'SECURITY_OFFICIAL'), grantRole(staff, org, 'STAFF_USER')]);
  return { org, official, staff, asOfficial: await signIn(official), asStaff: await signIn(staff) };
}

describe('nominating a backup Security Official (issue 18)', () => {
  it('accepted: the nominee is emailed, accepts, holds the role as approved by the nominator; coverage SINGLE -> COVERED; the nominator is told', async () => {
    const tag = randomBytes(3).toString('hex');
    const { org, official, staff, asOfficial, asStaff } = await practice(tag);
    expect((await asOfficial.get(`/api/v1/organizations/${org.id}`)).body.coverage).toMatchObject({ state: 'SINGLE', securityOfficials: 1 });

    const made = await asOfficial.post(`/api/v1/organizations/${org.id}/nominations`, { userId: staff.id, message: 'Please be our backup while I am on leave.' });
    expect(made.status).toBe(201);
    const n: Nomination = made.body;
    expect(n).toMatchObject({
      status: 'PENDING',
      workflowId: `nomination-${n.id}`,
      organization: { id: org.id, name: org.name },
      nominee: { id: staff.id, displayName: staff.displayName },
      nominatedBy: { id: official.id, displayName: official.displayName },
      message: 'Please be our backup while I am on leave.',
      respondedAt: null,
    });
    // NOMINATION_EXPIRES_AFTER of this stack (15 s), from when it was recorded.
    expect(Date.parse(n.expiresAt) - Date.parse(n.createdAt)).toBe(15_000);

    // The nominee's email, in the real SMTP server, links to the nomination in the web UI.
    const inbox = mailbox();
    const received = await inbox.waitForMessage((m) => keyOf(m) === `nomination-${n.id}/received/${staff.id}`);
    expect(received.to[0]!.address).toBe(staff.email);
    expect(received.subject).toBe(`${official.displayName} nominates you as a Security Official of ${org.name}`);
    expect(received.text).toContain('Please be our backup while I am on leave.');
    expect(received.text).toContain(`/nominations/${n.id}`);
    // ... and their list of nominations to answer, and the nomination itself.
    expect((await asStaff.get('/api/v1/me/nominations')).body.items.map((x: Nomination) => x.id)).toContain(n.id);
    expect((await asStaff.get(`/api/v1/nominations/${n.id}`)).body).toEqual(n);

    const accepted = await asStaff.post(`/api/v1/nominations/${n.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ id: n.id, status: 'ACCEPTED' });
    expect(Date.parse(accepted.body.respondedAt)).toBeGreaterThanOrEqual(Date.parse(n.createdAt));
    // 200 means granted: a read right after sees it.
    expect(await roleOf(staff, org)).toBe('SECURITY_OFFICIAL');
    expect((await asOfficial.get(`/api/v1/organizations/${org.id}`)).body.coverage).toMatchObject({ state: 'COVERED', securityOfficials: 2 });
    expect((await asStaff.get('/api/v1/me/nominations')).body.items.map((x: Nomination) => x.id)).not.toContain(n.id);

    const told = await inbox.waitForMessage((m) => keyOf(m) === `nomination-${n.id}/accepted/${official.id}`);
    expect(told.to[0]!.address).toBe(official.email);
    expect(told.subject).toBe(`${staff.displayName} accepted your nomination as a Security Official of ${org.name}`);

    const events = await audit(n.id);
    expect(events.map((e) => e.action)).toEqual(['nomination.created', 'nomination.accepted']);
    expect(events[0]).toMatchObject({ actor_id: official.id, details: { role: 'SECURITY_OFFICIAL', nomineeId: staff.id } });
    expect(events[1]).toMatchObject({ actor_id: staff.id, details: { role: 'SECURITY_OFFICIAL', approvedById: official.id } });

    // A retry of the same answer is answered what was recorded (after the workflow ended too); another answer is refused.
    const again = await asStaff.post(`/api/v1/nominations/${n.id}/accept`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(accepted.body);
    const late = await asStaff.post(`/api/v1/nominations/${n.id}/decline`);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'ALREADY_DECIDED', details: { status: 'ACCEPTED', decidedById: staff.id, decidedAt: accepted.body.respondedAt } });
    expect(late.body.error.message).toBe(`This nomination was already accepted by ${staff.displayName} at ${accepted.body.respondedAt}`);
    // Exactly one email to each.
    const keys = (await inbox.messages()).map(keyOf).filter((k) => k?.startsWith(`nomination-${n.id}/`));
    expect(keys.sort()).toEqual([`nomination-${n.id}/accepted/${official.id}`, `nomination-${n.id}/received/${staff.id}`]);
  });

  it('declined: nothing is granted, the nominator is told, a later acceptance is refused saying what happened when', async () => {
    const tag = randomBytes(3).toString('hex');
    const { org, official, staff, asOfficial, asStaff } = await practice(tag);
    const n: Nomination = (await asOfficial.post(`/api/v1/organizations/${org.id}/nominations`, { userId: staff.id })).body;
    expect(n.message).toBeNull();

    const declined = await asStaff.post(`/api/v1/nominations/${n.id}/decline`);
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ status: 'DECLINED' });
    expect(await roleOf(staff, org)).toBe('STAFF_USER');
    const told = await mailbox().waitForMessage((m) => keyOf(m) === `nomination-${n.id}/declined/${official.id}`);
    expect(told.subject).toBe(`${staff.displayName} declined your nomination as a Security Official of ${org.name}`);
    expect((await audit(n.id)).map((e) => [e.action, e.actor_id])).toEqual([
      ['nomination.created', official.id],
      ['nomination.declined', staff.id],
    ]);
    const late = await asStaff.post(`/api/v1/nominations/${n.id}/accept`);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'ALREADY_DECIDED', message: `This nomination was already declined by ${staff.displayName} at ${declined.body.respondedAt}` });
    expect((await asStaff.post(`/api/v1/nominations/${n.id}/decline`)).status).toBe(200);
    // Declined, they may be nominated again.
    expect((await asOfficial.post(`/api/v1/organizations/${org.id}/nominations`, { userId: staff.id })).status).toBe(201);
  });

  it('expired: nobody answered within NOMINATION_EXPIRES_AFTER; the nominator is told and a late answer is refused', async () => {
    const tag = randomBytes(3).toString('hex');
    const { org, official, staff, asOfficial, asStaff } = await practice(tag);
    const n: Nomination = (await asOfficial.post(`/api/v1/organizations/${org.id}/nominations`, { userId: staff.id })).body;

    const told = await mailbox().waitForMessage((m) => keyOf(m) === `nomination-${n.id}/expired/${official.id}`, 90_000);
    expect(told.subject).toBe(`Your nomination of ${staff.displayName} as a Security Official of ${org.name} expired`);
    const now: Nomination = (await asOfficial.get(`/api/v1/nominations/${n.id}`)).body;
    expect(now.status).toBe('EXPIRED');
    expect(Date.parse(now.respondedAt!)).toBeGreaterThanOrEqual(Date.parse(n.expiresAt));
    expect((await audit(n.id)).map((e) => e.action)).toEqual(['nomination.created', 'nomination.expired']);
    const late = await asStaff.post(`/api/v1/nominations/${n.id}/accept`);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'ALREADY_DECIDED', message: `This nomination expired unanswered at ${now.respondedAt}`, details: { status: 'EXPIRED' } });
    expect(await roleOf(staff, org)).toBe('STAFF_USER');
  }, 120_000);

  it('takes the nominee by login id as well as by account id, and any registered account, connected or not', async () => {
    const tag = randomBytes(3).toString('hex');
    const { org, asOfficial } = await practice(tag);
    const outsider = await createUser({ displayName: `Otto Outsider ${tag}` });
    const made = await asOfficial.post(`/api/v1/organizations/${org.id}/nominations`, { userId: outsider.loginId });
    expect(made.status).toBe(201);
    expect(made.body.nominee).toEqual({ id: outsider.id, displayName: outsider.displayName });
    const accepted = await (await signIn(outsider)).post(`/api/v1/nominations/${made.body.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(await roleOf(outsider, org)).toBe('SECURITY_OFFICIAL');
  });

  it('refuses every rule with a 4xx naming the field and the rule, and writes nothing', async () => {
    const tag = randomBytes(3).toString('hex');
    const { org, official, staff, asOfficial, asStaff } = await practice(tag);
    const [secondOfficial, disabled, helpDeskUser] = await Promise.all([createUser(), createUser(), createUser({ platformRole: 'HELP_DESK' })]);
    await grantRole(secondOfficial, org, 'SECURITY_OFFICIAL');
    await query(db(), 'UPDATE users SET disabled_at = now() WHERE id = $1::uuid', [disabled.id]);
    const aco = await createOrganization({ name: `Shared Savings ${tag}`, sharedSavingsAco: true });
    await grantRole(official, aco, 'SECURITY_OFFICIAL');
    const nominate = (api: Api, orgId: string, body: unknown) => api.post(`/api/v1/organizations/${orgId}/nominations`, body);
    const refusals: [string, Promise<{ status: number; body: { error: Record<string, unknown> } }>, number, Record<string, unknown>][] = [
      ['a Staff User nominating', nominate(asStaff, org.id, { userId: secondOfficial.id }), 403, { code: 'FORBIDDEN', message: `Only a Security Official of ${org.name} can nominate a backup Security Official there` }],
      ['the help desk nominating', nominate(await signIn(helpDeskUser), org.id, { userId: staff.id }), 403, { code: 'FORBIDDEN' }],
      ['oneself', nominate(asOfficial, org.id, { userId: official.loginId }), 403, { code: 'FORBIDDEN', field: 'userId', message: 'Nobody can nominate themselves: nominate another person' }],
      ['an unknown user id', nominate(asOfficial, org.id, { userId: `nobody.${tag}` }), 404, { code: 'NOT_FOUND', field: 'userId' }],
      ['a Security Official there already', nominate(asOfficial, org.id, { userId: secondOfficial.id }), 409, { code: 'ROLE_ALREADY_HELD', field: 'userId' }],
      ['a disabled account', nominate(asOfficial, org.id, { userId: disabled.id }), 403, { code: 'ACCOUNT_DISABLED', field: 'userId' }],
      ['a Shared Savings Program ACO', nominate(asOfficial, aco.id, { userId: staff.id }), 422, { code: 'MANAGED_IN_ACO_MS', field: 'orgId' }],
      ['an unknown organization', nominate(asOfficial, '00000000-0000-4000-8000-000000000000', { userId: staff.id }), 404, { code: 'NOT_FOUND', field: 'orgId' }],
      ['a message too long', nominate(asOfficial, org.id, { userId: staff.id, message: 'm'.repeat(1001) }), 400, { code: 'VALIDATION_FAILED', field: 'message', message: 'message must be at most 1000 characters' }],
      ['no userId', nominate(asOfficial, org.id, {}), 400, { code: 'VALIDATION_FAILED', field: 'userId' }],
      ['a userId that is no user id', nominate(asOfficial, org.id, { userId: "' OR 1=1 --" }), 400, { code: 'VALIDATION_FAILED', field: 'userId' }],
      ['an unknown field', nominate(asOfficial, org.id, { userId: staff.id, role: 'SECURITY_OFFICIAL' }), 400, { code: 'VALIDATION_FAILED', field: 'role' }],
    ];
    for (const [what, answer, status, error] of refusals) {
      const res = await answer;
      expect({ what, status: res.status, error: res.body.error }).toEqual({ what, status, error: expect.objectContaining(error) });
    }
    expect(await nominationsAt(org)).toBe(0);
    expect(await nominationsAt(aco)).toBe(0);

    // One pending nomination per nominee and organization; another Security Official there is refused too, naming it.
    const first = await nominate(asOfficial, org.id, { userId: staff.id });
    expect(first.status).toBe(201);
    const second = await nominate(await signIn(secondOfficial), org.id, { userId: staff.loginId });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'ALREADY_NOMINATED', field: 'userId', details: { nominationId: first.body.id } });
    // Two at the same instant: the partial unique index lets one through.
    const other = await createUser();
    await grantRole(other, org, 'STAFF_USER');
    const both = await Promise.all([nominate(asOfficial, org.id, { userId: other.id }), nominate(await signIn(secondOfficial), org.id, { userId: other.id })]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await nominationsAt(org)).toBe(2);

    // Only the nominee answers; only the nominee, the organization's officials and the help desk see it.
    const stranger = await signIn(await createUser());
    expect((await asOfficial.post(`/api/v1/nominations/${first.body.id}/accept`)).status).toBe(403);
    expect((await stranger.post(`/api/v1/nominations/${first.body.id}/decline`)).body.error).toMatchObject({ code: 'FORBIDDEN', message: 'Only the nominee can accept or decline this nomination' });
    expect((await stranger.get(`/api/v1/nominations/${first.body.id}`)).status).toBe(403);
    expect((await (await signIn(secondOfficial)).get(`/api/v1/nominations/${first.body.id}`)).status).toBe(200);
    expect((await (await signIn(helpDeskUser)).get(`/api/v1/nominations/${first.body.id}`)).status).toBe(200);
    expect((await stranger.post('/api/v1/nominations/00000000-0000-4000-8000-000000000000/accept')).body.error).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    expect(await roleOf(staff, org)).toBe('STAFF_USER');
  });

  it('a nominator removed before the acceptance: the acceptance is refused (NOMINATION_LAPSED) and nothing is granted', async () => {
    const tag = randomBytes(3).toString('hex');
    const { org, official, staff, asOfficial, asStaff } = await practice(tag);
    const other = await createUser();
    await grantRole(other, org, 'SECURITY_OFFICIAL');
    const n: Nomination = (await asOfficial.post(`/api/v1/organizations/${org.id}/nominations`, { userId: staff.id })).body;
    expect((await (await signIn(other)).request('DELETE', `/api/v1/organizations/${org.id}/users/${official.id}`)).status).toBe(200);

    const refused = await asStaff.post(`/api/v1/nominations/${n.id}/accept`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'NOMINATION_LAPSED',
      message: `${official.displayName}, who nominated you, is no longer a Security Official of ${org.name}: this nomination can no longer be accepted`,
    });
    expect(await roleOf(staff, org)).toBe('STAFF_USER');
    expect((await audit(n.id)).map((e) => e.action)).toEqual(['nomination.created']);
    // Still the nominee's to decline.
    expect((await asStaff.post(`/api/v1/nominations/${n.id}/decline`)).status).toBe(200);
  });

  it('accept racing decline, round after round: exactly one answer wins, the other is told which, and the record agrees', async () => {
    const tag = randomBytes(3).toString('hex');
    const [official, nominee] = await Promise.all([createUser({ displayName: `Rae Racer ${tag}` }), createUser({ displayName: `Nico Nominee ${tag}` })]);
    const [asOfficial, asNominee] = await Promise.all([signIn(official), signIn(nominee)]);
    const outcomes: string[] = [];
    for (let round = 0; round < 8; round++) {
      const org = await createOrganization({ name: `Race Clinic ${tag} ${round}` });
      await grantRole(official, org, 'SECURITY_OFFICIAL');
      const n: Nomination = (await asOfficial.post(`/api/v1/organizations/${org.id}/nominations`, { userId: nominee.id })).body;
      const [accept, decline] = await Promise.all([asNominee.post(`/api/v1/nominations/${n.id}/accept`), asNominee.post(`/api/v1/nominations/${n.id}/decline`)]);
      expect([accept.status, decline.status].sort()).toEqual([200, 409]);
      const [won, lost] = accept.status === 200 ? [accept, decline] : [decline, accept];
      expect(lost.body.error).toMatchObject({ code: 'ALREADY_DECIDED', details: { status: won.body.status, decidedAt: won.body.respondedAt } });
      const rows = await query<{ status: string }>(db(), 'SELECT status::text FROM nominations WHERE id = $1::uuid', [n.id]);
      expect(rows[0]!.status).toBe(won.body.status);
      expect(await roleOf(nominee, org)).toBe(won.body.status === 'ACCEPTED' ? 'SECURITY_OFFICIAL' : undefined);
      const answered = (await audit(n.id)).filter((e) => e.action !== 'nomination.created');
      expect(answered.map((e) => e.action)).toEqual([won.body.status === 'ACCEPTED' ? 'nomination.accepted' : 'nomination.declined']);
      outcomes.push(won.body.status);
    }
    expect(outcomes).toHaveLength(8);
  });
});
