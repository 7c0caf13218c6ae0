// The directory's request activities against the run's real PostgreSQL (issue 16): what the
// workflow's steps write, each exactly once however often Temporal retries it. The workflow's own
// timing of these steps is tested at the workflow level (access-workflows/test); here, what they record.
import { randomUUID } from 'node:crypto';
import { DomainError, proofTarget } from '@am/contracts';
import { CallerProofSigner, CallerProofVerifier, type CallerProofKeySet, type CallerProofSigningJwk } from '@am/service-kit';
import { AuditRepository } from '../src/audit/audit.repository';
import { PrismaService } from '../src/prisma/prisma.service';
import { RoleRequestsRepository } from '../src/role-requests/role-requests.repository';
import { RoleRequestsService } from '../src/role-requests/role-requests.service';

/** The integration run's database and keys (test/setup/global-setup.ts publishes them in AM_TEST_STACK). */
function testStack(): { databaseUrl: string; serviceEnv: Record<string, string> } {
  const raw = process.env.AM_TEST_STACK;
  if (!raw) throw new Error('The integration stack is not running: run this through jest (npm test)');
  return JSON.parse(raw) as { databaseUrl: string; serviceEnv: Record<string, string> };
}

describe('the directory’s records of a request’s steps', () => {
  let prisma: PrismaService;
  let service: RoleRequestsService;
  let signer: CallerProofSigner;

  beforeAll(async () => {
    const { databaseUrl, serviceEnv } = testStack();
    prisma = new PrismaService({ DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: 4, DATABASE_TX_MAX_WAIT_MS: 10_000 });
    const verifier = new CallerProofVerifier(JSON.parse(serviceEnv.CALLER_PROOF_PUBLIC_KEYS) as CallerProofKeySet);
    service = new RoleRequestsService(new RoleRequestsRepository(prisma), new AuditRepository(prisma), verifier);
    signer = await CallerProofSigner.create(JSON.parse(serviceEnv.CALLER_PROOF_SIGNING_KEY) as CallerProofSigningJwk, 300);
  });
  afterAll(() => prisma?.$disconnect());

  async function parties() {
    const suffix = randomUUID().slice(0, 8);
    const person = (name: string) =>
      prisma.user.create({ data: { loginId: `${name}.${suffix}`, displayName: `${name} ${suffix}`, email: `${name}.${suffix}@example.org`, passwordHash: 'x' } });
    const org = await prisma.organization.create({ data: { kind: 'PRACTICE', identifier: suffix, name: `Records Practice ${suffix}`, address: '1 Main St.' } });
    const [requester, official] = await Promise.all([person('requester'), person('official')]);
    await prisma.roleAssignment.create({ data: { userId: official.id, organizationId: org.id, role: 'SECURITY_OFFICIAL' } });
    return { org, requester, official };
  }

  async function submitted() {
    const p = await parties();
    const requestId = randomUUID();
    const proof = await signer.mint({ actorId: p.requester.id, via: 'session:test' }, 'role-request.submit', proofTarget.submit(p.org.id, 'STAFF_USER'));
    const cmd = { requestId, requesterId: p.requester.id, organizationId: p.org.id, role: 'STAFF_USER' as const, proof, acceptedAt: new Date().toISOString() };
    const first = await service.recordSubmission(cmd);
    return { ...p, requestId, cmd, first };
  }

  const auditOf = (subjectId: string) =>
    prisma.auditEvent.findMany({ where: { subjectId }, orderBy: { id: 'asc' }, select: { action: true, details: true } });

  it('records a submission once under the workflow’s id, with its parties, however often it is retried', async () => {
    const { requestId, cmd, first, official } = await submitted();
    expect(first.view).toMatchObject({ id: requestId, status: 'PENDING', workflowId: `role-request-${requestId}` });
    expect(first.parties.securityOfficials.map((o) => o.id)).toEqual([official.id]);
    const again = await service.recordSubmission(cmd);
    expect(again.view).toEqual(first.view);
    expect(await prisma.roleRequest.count({ where: { id: requestId } })).toBe(1);
    expect((await auditOf(requestId)).map((e) => e.action)).toEqual(['role-request.submitted']);
  });

  it('a second pending request of the same person at the same organization is refused, naming the first (rule 1)', async () => {
    const { cmd, requestId } = await submitted();
    const refused = await service.recordSubmission({ ...cmd, requestId: randomUUID() }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'DUPLICATE_PENDING_REQUEST', details: { pendingRequestId: requestId } });
  });

  it('audits each reminder once (with the escalation), then the expiry once; a decision after it is told it expired', async () => {
    const { requestId, official } = await submitted();
    await service.recordReminder({ requestId, reminder: 1, escalated: false, notified: [official.id] });
    await service.recordReminder({ requestId, reminder: 1, escalated: false, notified: [official.id] });
    await service.recordReminder({ requestId, reminder: 3, escalated: true, notified: [official.id] });
    const expired = await service.expire({ requestId });
    expect(await service.expire({ requestId })).toEqual(expired);
    expect((await auditOf(requestId)).map((e) => e.action)).toEqual([
      'role-request.submitted',
      'role-request.reminded',
      'role-request.reminded',
      'role-request.escalated',
      'role-request.expired',
    ]);
    const proof = await signer.mint({ actorId: official.id, via: 'session:test' }, 'role-request.approve', proofTarget.request(requestId));
    const late = await service.recordDecision({ requestId, deciderId: official.id, decision: 'APPROVE', proof, acceptedAt: new Date().toISOString() }).catch((e: unknown) => e);
    expect(late).toMatchObject({ code: 'ALREADY_DECIDED', message: `This request expired undecided at ${expired.closedAt}` });
  });

  it('a withdrawal answers the withdrawn view and who could have decided, once', async () => {
    const { requestId, requester, official } = await submitted();
    const proof = await signer.mint({ actorId: requester.id, via: 'session:test' }, 'role-request.withdraw', proofTarget.request(requestId));
    const closed = await service.withdraw({ requestId, requesterId: requester.id, proof, acceptedAt: new Date().toISOString() });
    expect(closed).toMatchObject({ status: 'WITHDRAWN', view: { status: 'WITHDRAWN', decidedBy: { id: requester.id } }, approvers: [{ id: official.id }] });
    expect(await service.withdraw({ requestId, requesterId: requester.id, proof, acceptedAt: new Date().toISOString() })).toMatchObject({ status: 'WITHDRAWN', closedAt: closed.closedAt });
    expect((await auditOf(requestId)).map((e) => e.action)).toEqual(['role-request.submitted', 'role-request.withdrawn']);
  });
});
