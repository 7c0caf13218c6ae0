import { generateKeyPairSync } from 'node:crypto';
import { DomainError, proofTarget } from '@am/contracts';
import { CallerProofSigner, CallerProofVerifier, type CallerProofSigningJwk } from '@am/service-kit';
import { Prisma } from '../generated/prisma/client';
import type { AuditRepository } from '../audit/audit.repository';
import { RoleRequestsService } from './role-requests.service';
import type { RoleRequestsRepository, RoleRequestRow } from './role-requests.repository';

const ORG = { id: 'org-1', kind: 'PRACTICE', identifier: '123456789', name: 'Acme Clinic, LLC', sharedSavingsAco: false };
const OFFICIAL = { id: 'so-1', displayName: 'Elizabeth Blackwell', email: 'e@example.com' };

function row(over: Partial<RoleRequestRow> = {}): RoleRequestRow {
  return {
    id: 'req-1',
    requesterId: 'user-1',
    organizationId: ORG.id,
    role: 'STAFF_USER',
    justification: null,
    status: 'PENDING',
    decidedById: null,
    decidedAt: null,
    reason: null,
    createdAt: new Date('2026-11-01T00:00:00Z'),
    updatedAt: new Date('2026-11-01T00:00:00Z'),
    organization: ORG,
    requester: { id: 'user-1', displayName: 'Thomas Miller, MD', email: 't@example.com' },
    decidedBy: null,
    ...over,
  } as RoleRequestRow;
}

// Real proofs, signed and verified with a key pair made for this test.
const jwk = (() => {
  const { kty, crv, x, d } = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  return { kty, crv, x, d, kid: 'unit' } as CallerProofSigningJwk;
})();
const verifier = new CallerProofVerifier({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: jwk.kid }] });
const signer = CallerProofSigner.create(jwk, 60);
const submitProof = async (requesterId: string, role: 'STAFF_USER' | 'SECURITY_OFFICIAL' = 'STAFF_USER') =>
  (await signer).mint({ actorId: requesterId, via: 'session:s' }, 'role-request.submit', proofTarget.submit(ORG.id, role));
const approveProof = async (deciderId: string) => (await signer).mint({ actorId: deciderId, via: 'session:s' }, 'role-request.approve', proofTarget.request('req-1'));

function setup(
  o: { recorded?: boolean; officials?: (typeof OFFICIAL)[]; held?: 'STAFF_USER' | 'SECURITY_OFFICIAL'; org?: Partial<typeof ORG>; platformRole?: 'HELP_DESK' | null; undoableDenial?: boolean } = {},
) {
  const repo = {
    findOrganization: jest.fn().mockResolvedValue({ ...ORG, ...o.org }),
    findAssignment: jest.fn().mockResolvedValue(o.held ? { role: o.held } : null),
    securityOfficials: jest.fn().mockResolvedValue(o.officials ?? [OFFICIAL]),
    findUser: jest.fn().mockResolvedValue({ id: 'x', displayName: 'X', email: 'x@example.com', platformRole: o.platformRole ?? null }),
    findPending: jest.fn().mockResolvedValue({ id: 'req-0', role: 'STAFF_USER' }),
    findUndoableDenial: jest.fn().mockResolvedValue(o.undoableDenial ? { id: 'req-0', role: 'STAFF_USER' } : null),
    findById: jest.fn().mockResolvedValue(o.recorded ? row() : null),
    lockForDecision: jest.fn().mockResolvedValue(row()),
    decideIfPending: jest.fn().mockResolvedValue(true),
    grantRole: jest.fn().mockResolvedValue(undefined),
    helpDesk: jest.fn().mockResolvedValue([]),
    create: jest.fn().mockResolvedValue(row()),
    inTransaction: jest.fn((fn: (tx: unknown) => Promise<unknown>) => fn({})),
  };
  const audit = { append: jest.fn().mockResolvedValue(undefined) };
  const service = new RoleRequestsService(repo as unknown as RoleRequestsRepository, audit as unknown as AuditRepository, verifier);
  return { service, repo, audit };
}

const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof DomainError ? e.code : String(e)));

describe('RoleRequestsService.recordSubmission', () => {
  let cmd: { requestId: string; requesterId: string; organizationId: string; role: 'STAFF_USER' | 'SECURITY_OFFICIAL'; proof: string; acceptedAt: string };
  beforeAll(async () => {
    cmd = { requestId: 'req-1', requesterId: 'user-1', organizationId: ORG.id, role: 'STAFF_USER', proof: await submitProof('user-1'), acceptedAt: new Date().toISOString() };
  });

  it('refuses a submission without the gateway’s proof for this requester and organization, and writes nothing', async () => {
    const { service, repo } = setup();
    expect(await codeOf(service.recordSubmission({ ...cmd, proof: '' }))).toBe('UNAUTHENTICATED');
    expect(await codeOf(service.recordSubmission({ ...cmd, requesterId: 'user-2' }))).toBe('UNAUTHENTICATED');
    expect(await codeOf(service.recordSubmission({ ...cmd, organizationId: 'org-2' }))).toBe('UNAUTHENTICATED');
    expect(await codeOf(service.recordSubmission({ ...cmd, role: 'SECURITY_OFFICIAL' }))).toBe('UNAUTHENTICATED');
    expect(repo.create).not.toHaveBeenCalled();
  });

  it('names the Security Officials who can approve (rule 6)', async () => {
    const { service } = setup();
    await expect(service.recordSubmission(cmd)).resolves.toMatchObject({
      view: { status: 'PENDING', approvers: ['Elizabeth Blackwell'], workflowId: 'role-request-req-1' },
      parties: { securityOfficials: [OFFICIAL], submittedAt: '2026-11-01T00:00:00.000Z' },
    });
  });

  it('names the program when the organization has no Security Official (rule 3)', async () => {
    const { service } = setup({ officials: [] });
    await expect(service.recordSubmission(cmd)).resolves.toMatchObject({ view: { approvers: ['the Quality Payment Program'] } });
  });

  it('refuses a Shared Savings Program ACO with the ACO-MS pointer (rule 2)', async () => {
    const { service, repo } = setup({ org: { sharedSavingsAco: true } });
    await expect(service.recordSubmission(cmd)).rejects.toThrow(/ACO-MS/);
    expect(repo.create).not.toHaveBeenCalled();
  });

  it('refuses the role already held, and lets a Staff User ask to become Security Official (rule 1)', async () => {
    expect(await codeOf(setup({ held: 'STAFF_USER' }).service.recordSubmission(cmd))).toBe('ROLE_ALREADY_HELD');
    expect(await codeOf(setup({ held: 'SECURITY_OFFICIAL' }).service.recordSubmission(cmd))).toBe('ROLE_ALREADY_HELD');
    const asOfficial = { ...cmd, role: 'SECURITY_OFFICIAL' as const, proof: await submitProof('user-1', 'SECURITY_OFFICIAL') };
    expect(await codeOf(setup({ held: 'STAFF_USER' }).service.recordSubmission(asOfficial))).toBe('resolved');
  });

  it('refuses a new request while a denial at the organization can still be undone: to its requester it is pending (issue 17)', async () => {
    const { service, repo } = setup({ undoableDenial: true });
    const err = await service.recordSubmission(cmd).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DUPLICATE_PENDING_REQUEST', field: 'organizationId', details: { pendingRequestId: 'req-0', pendingRole: 'STAFF_USER' } });
    expect(repo.findUndoableDenial).toHaveBeenCalledWith('user-1', ORG.id);
    expect(repo.create).not.toHaveBeenCalled();
  });

  it('returns the request already recorded under this id to a retried activity, and writes nothing', async () => {
    const { service, repo } = setup({ recorded: true });
    await expect(service.recordSubmission(cmd)).resolves.toMatchObject({ view: { id: 'req-1', status: 'PENDING' } });
    expect(repo.create).not.toHaveBeenCalled();
  });

  it('turns the one-pending-request index violation into a 409 naming the pending request', async () => {
    const { service, repo } = setup();
    repo.inTransaction.mockRejectedValue(new Prisma.PrismaClientKnownRequestError('unique', { code: 'P2002', clientVersion: '7.10.0' }));
    const err = await service.recordSubmission(cmd).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'DUPLICATE_PENDING_REQUEST', field: 'organizationId', details: { pendingRequestId: 'req-0' } });
  });
});

describe('RoleRequestsService.recordDecision', () => {
  const decide = async (deciderId: string, o: Parameters<typeof setup>[0] = {}) => {
    const t = setup(o);
    return { ...t, result: t.service.recordDecision({ requestId: 'req-1', deciderId, decision: 'APPROVE', proof: await approveProof(deciderId), acceptedAt: new Date().toISOString() }) };
  };

  it('lets a Security Official of the organization approve: grants the role and answers the decided view, without reading the request again', async () => {
    const { result, repo } = await decide(OFFICIAL.id);
    await expect(result).resolves.toMatchObject({ status: 'APPROVED', decider: OFFICIAL, view: { status: 'APPROVED', decidedBy: { id: OFFICIAL.id } } });
    expect(repo.grantRole).toHaveBeenCalledWith('user-1', ORG.id, 'STAFF_USER', expect.anything());
    expect(repo.lockForDecision).toHaveBeenCalledTimes(1);
    expect(repo.findById).not.toHaveBeenCalled();
  });

  it('refuses the requester, Staff Users and officials of other organizations (rule 4), and writes nothing', async () => {
    for (const who of ['user-1', 'someone-else']) {
      const { result, repo } = await decide(who);
      expect(await codeOf(result)).toBe('FORBIDDEN');
      expect(repo.decideIfPending).not.toHaveBeenCalled();
    }
  });

  it('lets the help desk decide only where there is no Security Official (rule 3)', async () => {
    expect(await codeOf((await decide('desk', { officials: [], platformRole: 'HELP_DESK' })).result)).toBe('resolved');
    expect(await codeOf((await decide('desk', { officials: [OFFICIAL], platformRole: 'HELP_DESK' })).result)).toBe('FORBIDDEN');
    expect(await codeOf((await decide('desk', { officials: [], platformRole: null })).result)).toBe('FORBIDDEN');
  });

  it('says who decided what, when, for a decided request (rule 5)', async () => {
    const t = setup();
    t.repo.lockForDecision.mockResolvedValue(row({ status: 'DENIED', decidedBy: OFFICIAL, decidedAt: new Date('2026-11-02T10:00:00Z') }));
    const result = t.service.recordDecision({ requestId: 'req-1', deciderId: OFFICIAL.id, decision: 'APPROVE', proof: await approveProof(OFFICIAL.id), acceptedAt: new Date().toISOString() });
    await expect(result).rejects.toMatchObject({ code: 'ALREADY_DECIDED', message: 'This request was already denied by Elizabeth Blackwell at 2026-11-02T10:00:00.000Z' });
  });

  it('answers a retry of the same decision with what was recorded, changing nothing', async () => {
    const t = setup();
    t.repo.lockForDecision.mockResolvedValue(row({ status: 'APPROVED', decidedById: OFFICIAL.id, decidedBy: OFFICIAL, decidedAt: new Date('2026-11-02T10:00:00Z') }));
    const result = t.service.recordDecision({ requestId: 'req-1', deciderId: OFFICIAL.id, decision: 'APPROVE', proof: await approveProof(OFFICIAL.id), acceptedAt: new Date().toISOString() });
    await expect(result).resolves.toMatchObject({ status: 'APPROVED', decidedAt: '2026-11-02T10:00:00.000Z' });
    expect(t.repo.decideIfPending).not.toHaveBeenCalled();
  });
});
