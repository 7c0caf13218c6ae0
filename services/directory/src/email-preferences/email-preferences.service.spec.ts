import { CallerProofVerifier } from '@am/service-kit';
import type { RequestParties } from '@am/workflow-contracts';
import type { AuditRepository } from '../audit/audit.repository';
import type { ManageAccessService } from '../manage-access/manage-access.service';
import type { EmailPreferencesRepository, PreferencesRow } from './email-preferences.repository';
import { EmailPreferencesService } from './email-preferences.service';

// Issue 19: the rules of email preferences and of the digest's reads, over a fake repository that
// keeps the repository's behaviour (the due-time math itself: digest-time.spec.ts).
interface User extends PreferencesRow {
  id: string;
  displayName: string;
  email: string;
  disabledAt: Date | null;
  digestSentFor: Date | null;
}
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function setup(users: User[], o: { proofOk?: boolean; awaiting?: Awaited<ReturnType<ManageAccessService['awaitingDecision']>> } = {}) {
  const byId = new Map(users.map((u) => [u.id, u]));
  const pick = (u: User): PreferencesRow => ({ emailDigest: u.emailDigest, digestHour: u.digestHour, timeZone: u.timeZone });
  const repo = {
    inTransaction: async <T>(fn: (tx: unknown) => Promise<T>) => fn({}),
    find: async (userId: string) => (byId.has(userId) ? pick(byId.get(userId)!) : null),
    findForUpdate: async (userId: string) => (byId.has(userId) ? pick(byId.get(userId)!) : null),
    update: async (userId: string, data: PreferencesRow) => pick(Object.assign(byId.get(userId)!, data)),
    onDailyDigest: async (ids: string[]) => new Set(ids.filter((i) => byId.get(i)?.emailDigest === 'DAILY')),
    dailyDigestPage: async (after: string | undefined, take: number) =>
      users
        .filter((u) => u.emailDigest === 'DAILY' && !u.disabledAt && (!after || u.id > after))
        .sort((a, b) => a.id.localeCompare(b.id))
        .slice(0, take),
    findPerson: async (userId: string) => byId.get(userId) ?? null,
    markSent: jest.fn(async () => undefined),
  } as unknown as EmailPreferencesRepository;
  const audit = { append: jest.fn(async () => undefined) };
  const proofs = o.proofOk === false ? new CallerProofVerifier({ keys: [] }) : ({ verify: jest.fn(async () => ({})) } as unknown as CallerProofVerifier);
  const manageAccess = { awaitingDecision: jest.fn(async () => o.awaiting ?? { rows: [], total: 0 }) } as unknown as ManageAccessService;
  return { svc: new EmailPreferencesService(repo, audit as unknown as AuditRepository, proofs, manageAccess), audit, repo };
}

const user = (n: number, over: Partial<User> = {}): User => ({
  id: id(n),
  displayName: `User ${n}`,
  email: `u${n}@example.com`,
  emailDigest: 'IMMEDIATE',
  digestHour: 8,
  timeZone: 'America/New_York',
  disabledAt: null,
  digestSentFor: null,
  ...over,
});

describe('EmailPreferencesService (issue 19)', () => {
  it('changes the caller’s choice, keeps an omitted hour or zone, and audits before and after', async () => {
    const u = user(1);
    const { svc, audit } = setup([u]);
    expect(await svc.update({ userId: u.id, emailDigest: 'daily', digestHour: 6, proof: 'p' })).toEqual({ emailDigest: 'daily', digestHour: 6, timeZone: 'America/New_York' });
    expect(await svc.update({ userId: u.id, emailDigest: 'immediate', timeZone: 'Asia/Kolkata', proof: 'p' })).toEqual({ emailDigest: 'immediate', digestHour: 6, timeZone: 'Asia/Kolkata' });
    expect(audit.append).toHaveBeenLastCalledWith(
      {
        action: 'user.email-preferences-changed',
        actorId: u.id,
        subjectId: u.id,
        details: { before: { emailDigest: 'daily', digestHour: 6, timeZone: 'America/New_York' }, after: { emailDigest: 'immediate', digestHour: 6, timeZone: 'Asia/Kolkata' } },
      },
      {},
    );
    expect(await svc.get(u.id)).toEqual({ emailDigest: 'immediate', digestHour: 6, timeZone: 'Asia/Kolkata' });
  });

  it('refuses a change without the gateway’s proof, and changes nothing', async () => {
    const u = user(1);
    const { svc, audit } = setup([u], { proofOk: false });
    await expect(svc.update({ userId: u.id, emailDigest: 'daily', proof: '' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(u.emailDigest).toBe('IMMEDIATE');
    expect(audit.append).not.toHaveBeenCalled();
  });

  it('finds the due digests a page of users at a time, skipping the immediate, the disabled, the not yet due and the sent', async () => {
    const asOf = '2026-12-02T14:00:00.000Z'; // 09:00 in New York, 19:30 in Kolkata
    const users = [
      user(1, { emailDigest: 'DAILY' }),
      user(2),
      user(3, { emailDigest: 'DAILY', digestHour: 10 }),
      user(4, { emailDigest: 'DAILY', disabledAt: new Date() }),
      user(5, { emailDigest: 'DAILY', digestSentFor: new Date('2026-12-02T00:00:00Z') }),
      user(6, { emailDigest: 'DAILY', timeZone: 'Asia/Kolkata', digestHour: 19 }),
      user(7, { emailDigest: 'DAILY', digestSentFor: new Date('2026-12-01T00:00:00Z') }),
    ];
    const { svc } = setup(users);
    const first = await svc.dueDigests({ asOf, limit: 3 });
    expect(first).toEqual({ due: [{ userId: id(1), localDate: '2026-12-02' }], next: id(5) });
    const second = await svc.dueDigests({ asOf, after: first.next, limit: 3 });
    expect(second).toEqual({ due: [{ userId: id(6), localDate: '2026-12-02' }, { userId: id(7), localDate: '2026-12-02' }] });
  });

  it('lists what waits on the user by organization, by name, and nothing for a disabled account', async () => {
    const row = (requestId: string, organizationId: string, organizationName: string) => ({
      requestId,
      role: 'STAFF_USER' as const,
      justification: null,
      createdAt: new Date('2026-12-01T10:00:00Z'),
      requesterId: id(90),
      requesterName: `Requester of ${requestId}`,
      requesterEmail: 'r@example.com',
      organizationId,
      organizationKind: 'PRACTICE' as const,
      organizationIdentifier: '000549237',
      organizationName,
    });
    const awaiting = { rows: [row('r1', 'o-z', 'Zeta Clinic'), row('r2', 'o-a', 'Acme Clinic'), row('r3', 'o-z', 'Zeta Clinic')], total: 4 };
    const { svc } = setup([user(1, { emailDigest: 'DAILY' }), user(2, { emailDigest: 'DAILY', disabledAt: new Date() })], { awaiting });
    const digest = await svc.digestContent({ userId: id(1), localDate: '2026-12-02' });
    expect(digest.to).toEqual({ id: id(1), displayName: 'User 1', email: 'u1@example.com' });
    expect(digest.total).toBe(4);
    expect(digest.organizations.map((o) => [o.name, o.requests.map((r) => r.requestId)])).toEqual([
      ['Acme Clinic', ['r2']],
      ['Zeta Clinic', ['r1', 'r3']],
    ]);
    expect(await svc.digestContent({ userId: id(2), localDate: '2026-12-02' })).toMatchObject({ total: 0, organizations: [] });
  });

  it('marks the approvers on the daily digest on a request’s parties, and only them', async () => {
    const [so1, so2, hd] = [user(1, { emailDigest: 'DAILY' }), user(2), user(3, { emailDigest: 'DAILY' })];
    const { svc } = setup([so1, so2, hd]);
    const person = (u: User) => ({ id: u.id, displayName: u.displayName, email: u.email });
    const parties = {
      requestId: 'r',
      status: 'PENDING',
      role: 'STAFF_USER',
      justification: null,
      submittedAt: '2026-12-01T10:00:00.000Z',
      requester: person(user(9)),
      organization: { id: 'o', name: 'Acme' },
      securityOfficials: [person(so1), person(so2)],
      helpDesk: [person(hd)],
    } satisfies RequestParties;
    const marked = await svc.withDigestChoices(parties);
    expect(marked.securityOfficials).toEqual([{ ...person(so1), dailyDigest: true }, person(so2)]);
    expect(marked.helpDesk).toEqual([{ ...person(hd), dailyDigest: true }]);
    expect(marked.requester).toEqual(parties.requester);
  });
});

