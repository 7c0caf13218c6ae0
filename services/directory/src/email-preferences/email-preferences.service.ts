import { Injectable } from '@nestjs/common';
import {
  DomainError,
  ERROR_CODES,
  MAX_PAGE_SIZE,
  proofTarget,
  type EmailDigestChoice,
  type EmailPreferencesView,
  type UpdateEmailPreferencesCommand,
} from '@am/contracts';
import { CallerProofVerifier } from '@am/service-kit';
import type { DigestOrganization, DueDigestPage, EmailDigestContent, Person, RequestParties } from '@am/workflow-contracts';
import { AuditRepository } from '../audit/audit.repository';
import { ManageAccessService } from '../manage-access/manage-access.service';
import { dueDigestDate } from './digest-time';
import { EmailPreferencesRepository, type PreferencesRow } from './email-preferences.repository';

const toView = (p: PreferencesRow): EmailPreferencesView => ({ emailDigest: p.emailDigest.toLowerCase() as EmailDigestChoice, digestHour: p.digestHour, timeZone: p.timeZone });
const noSuchAccount = () => new DomainError(ERROR_CODES.UNAUTHENTICATED, 'This account no longer exists');

/** Email preferences (issue 19) and the daily digest's reads: whose is due, what it lists, that it went out. */
@Injectable()
export class EmailPreferencesService {
  constructor(
    private readonly repo: EmailPreferencesRepository,
    private readonly audit: AuditRepository,
    private readonly proofs: CallerProofVerifier,
    private readonly manageAccess: ManageAccessService,
  ) {}

  async get(userId: string): Promise<EmailPreferencesView> {
    const row = await this.repo.find(userId);
    if (!row) throw noSuchAccount();
    return toView(row);
  }

  /** The caller's own preferences (proof: preferences.update on themselves); an omitted hour or zone keeps the current one. Audited with before and after. */
  async update(cmd: UpdateEmailPreferencesCommand): Promise<EmailPreferencesView> {
    await this.proofs.verify(cmd.proof, { action: 'preferences.update', target: proofTarget.preferences(cmd.userId), actorId: cmd.userId });
    return this.repo.inTransaction(async (tx) => {
      const before = await this.repo.findForUpdate(cmd.userId, tx);
      if (!before) throw noSuchAccount();
      const after: PreferencesRow = {
        emailDigest: cmd.emailDigest === 'daily' ? 'DAILY' : 'IMMEDIATE',
        digestHour: cmd.digestHour ?? before.digestHour,
        timeZone: cmd.timeZone ?? before.timeZone,
      };
      const updated = await this.repo.update(cmd.userId, after, tx);
      await this.audit.append({ action: 'user.email-preferences-changed', actorId: cmd.userId, subjectId: cmd.userId, details: { before: { ...toView(before) }, after: { ...toView(updated) } } }, tx);
      return toView(updated);
    });
  }

  /** The users on the daily digest whose digest is due at `asOf`, among a page of them. */
  async dueDigests(input: { asOf: string; after?: string; limit: number }): Promise<DueDigestPage> {
    const asOf = new Date(input.asOf);
    const users = await this.repo.dailyDigestPage(input.after, input.limit);
    const due = users.flatMap((u) => {
      const localDate = dueDigestDate(asOf, { digestHour: u.digestHour, timeZone: u.timeZone, sentFor: u.digestSentFor?.toISOString().slice(0, 10) ?? null });
      return localDate ? [{ userId: u.id, localDate }] : [];
    });
    return { due, ...(users.length === input.limit ? { next: users[users.length - 1]!.id } : {}) };
  }

  /** What the user's digest lists now: the requests waiting on their decision, by organization (by name). */
  async digestContent(input: { userId: string; localDate: string }): Promise<EmailDigestContent> {
    const person = await this.repo.findPerson(input.userId);
    const to: Person = { id: input.userId, displayName: person?.displayName ?? '', email: person?.email ?? '' };
    // An account disabled (or gone) since it was found due gets no digest.
    if (!person || person.disabledAt) return { to, localDate: input.localDate, total: 0, organizations: [] };
    const { rows, total } = await this.manageAccess.awaitingDecision(input.userId, MAX_PAGE_SIZE);
    const byOrg = new Map<string, DigestOrganization>();
    for (const r of rows) {
      const org = byOrg.get(r.organizationId) ?? { id: r.organizationId, name: r.organizationName, kind: r.organizationKind, identifier: r.organizationIdentifier, requests: [] };
      org.requests.push({ requestId: r.requestId, role: r.role, requesterName: r.requesterName, justification: r.justification, submittedAt: r.createdAt.toISOString() });
      byOrg.set(r.organizationId, org);
    }
    const organizations = [...byOrg.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return { to, localDate: input.localDate, total, organizations };
  }

  async markSent(input: { userId: string; localDate: string }): Promise<void> {
    await this.repo.markSent(input.userId, input.localDate);
  }

  /**
   * The parties with each approver's choice: the request's workflow leaves the emails that ask
   * those on the daily digest to decide to the digest (their in-app notices stay immediate).
   */
  async withDigestChoices(p: RequestParties): Promise<RequestParties> {
    const daily = await this.repo.onDailyDigest([...p.securityOfficials, ...p.helpDesk].map((x) => x.id));
    if (!daily.size) return p;
    const mark = (people: Person[]) => people.map((x) => (daily.has(x.id) ? { ...x, dailyDigest: true } : x));
    return { ...p, securityOfficials: mark(p.securityOfficials), helpDesk: mark(p.helpDesk) };
  }
}
