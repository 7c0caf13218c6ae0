// Issue 17 (parts 1 and 3) on real parts: a denial can be undone by any approver of the request
// inside its undo window (DENY_UNDO_WINDOW, 20 s in the test stack), the requester is told nothing
// of it until it is final (checked in the real SMTP server and the workflow's history); after the
// window undo answers 409 naming when it closed; an undo racing an approval ends in exactly one
// outcome; bulk decisions decide each request as if alone, in order, each refusal alone.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { query, type CaughtMessage } from '@am/devstack';
import { DENY_REASON_LABELS } from '@am/contracts';
import { roleRequestWorkflowId } from '@am/workflow-contracts';
import { testStack } from '../setup/stack';
import { mailbox, signIn, type Api } from '../support/api';
import { createOrganization, createUser, grantRole, type TestOrganization, type TestUser } from '../support/factories';
import { scheduledNotices, temporalClient } from '../support/temporal';

/** DENY_UNDO_WINDOW in test/setup/global-setup.ts. */
const UNDO_WINDOW_MS = 20_000;
/** How long a test waits for a denial to be announced: the window, plus the workflow and the mail server under a loaded run. */
const DENIAL_EMAIL_WAIT_MS = UNDO_WINDOW_MS + 60_000;

const db = () => testStack().databaseUrl;
const keyOf = (m: CaughtMessage) => m.headers['x-idempotency-key'];

type AuditRow = {
  action: string;
  actor_id: string;
  details: any;
};
const auditOf = (requestId: string) =>
  query<AuditRow>(db(), 'SELECT action, actor_id::text AS actor_id, details FROM audit_events WHERE subject_id = $1 ORDER BY id', [requestId]);

/** Every email of one request's workflow (its idempotency keys start with the workflow id). */
async function mailOf(requestId: string): Promise<CaughtMessage[]> {
  return (await mailbox().messages()).filter((m) => keyOf(m)?.startsWith(`${roleRequestWorkflowId(requestId)}/`));
}

/** The email the workflow sends the requester when the request is decided for good. */
function decisionEmail(requestId: string, timeoutMs = 30_000): Promise<CaughtMessage> {
  return mailbox().waitForMessage((m) => keyOf(m) === `${roleRequestWorkflowId(requestId)}/decided/requester`, timeoutMs);
}

async function statusInDirectory(requestId: string): Promise<string> {
  const [row] = await query<{ status: string }>(db(), 'SELECT status::text FROM role_requests WHERE id = $1', [requestId]);
  return row.status;
}

interface Org {
  org: TestOrganization;
  officials: TestUser[];
  as: Api[];
}

async function orgWithOfficials(n: number): Promise<Org> {
  const org = await createOrganization();
  const officials = await Promise.all(Array.from({ length: n }, (_, i) => createUser({ displayName: `Official ${i + 1} ${org.name}` })));
  for (const o of officials) await grantRole(o, org, 'SECURITY_OFFICIAL');
  return { org, officials, as: await Promise.all(officials.map((o) => signIn(o))) };
}

async function submitted(org: TestOrganization, requester?: TestUser): Promise<{ requester: TestUser; asRequester: Api; id: string }> {
  requester ??= await createUser();
  const asRequester = await signIn(requester);
  const res = await asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER', justification: 'I file our quality reports.' });
  expect(res.status).toBe(201);
  return { requester, asRequester, id: res.body.id };
}

/** A POST with an Idempotency-Key, with the answer's headers. */
async function postWithKey(api: Api, path: string, body: unknown, key: string) {
  const res = await fetch(`${testStack().gatewayUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${api.token}`, 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed'), text: await res.text() };
}

async function inQueue(api: Api, requestId: string): Promise<boolean> {
  const res = await api.get('/api/v1/manage-access?pageSize=100');
  expect(res.status).toBe(200);
  return res.body.pendingRequests.items.some((r: { requestId: string }) => r.requestId === requestId);
}

async function inMyRequests(api: Api, requestId: string): Promise<boolean> {
  const res = await api.get('/api/v1/manage-access');
  expect(res.status).toBe(200);
  return res.body.myRequests.some((r: { requestId: string }) => r.requestId === requestId);
}

describe('undo a denial', () => {
  let temporal: { client: Client; close: () => Promise<void> };
  beforeAll(async () => {
    temporal = await temporalClient();
  });
  afterAll(() => temporal?.close());
  const result = (requestId: string) => temporal.client.workflow.getHandle(roleRequestWorkflowId(requestId)).result();

  it('inside the window: the request is pending again for everyone, and the requester never hears of the denial', async () => {
    const { org, officials, as } = await orgWithOfficials(2);
    const [asA, asB] = as;
    const { requester, asRequester, id } = await submitted(org);

    const denied = await asA.post(`/api/v1/role-requests/${id}/deny`, { reasonCode: 'WRONG_ROLE' });
    expect(denied.status).toBe(200);
    expect(denied.body).toMatchObject({ status: 'DENIED', reasonCode: 'WRONG_ROLE', decidedBy: { id: officials[0].id } });
    expect(Date.parse(denied.body.undoUntil) - Date.parse(denied.body.decidedAt)).toBe(UNDO_WINDOW_MS);

    // During the window: approvers see the denial with its deadline; the requester sees the request as it was.
    expect((await asB.get(`/api/v1/role-requests/${id}`)).body).toMatchObject({ status: 'DENIED', undoUntil: denied.body.undoUntil });
    const seen = await asRequester.get(`/api/v1/role-requests/${id}`);
    expect(seen.body).toMatchObject({ status: 'PENDING', decidedBy: null, decidedAt: null, reasonCode: null, resubmit: null, undoUntil: null });
    expect(await inMyRequests(asRequester, id)).toBe(true);
    expect(await inQueue(asB, id)).toBe(false);

    // Any approver of the request may undo, not only the decider.
    const undone = await asB.post(`/api/v1/role-requests/${id}/undo`);
    expect(undone.status).toBe(200);
    expect(undone.body).toMatchObject({ id, status: 'PENDING', decidedBy: null, decidedAt: null, reasonCode: null, resubmit: null, undoUntil: null });
    // A retry of that undo answers the same; someone else's undo finds nothing to undo.
    expect((await asB.post(`/api/v1/role-requests/${id}/undo`)).body).toMatchObject({ id, status: 'PENDING' });
    const nothing = await asA.post(`/api/v1/role-requests/${id}/undo`);
    expect(nothing.status).toBe(409);
    expect(nothing.body.error).toMatchObject({ code: 'NOT_UNDOABLE', message: 'There is nothing to undo: this request is pending', details: { status: 'PENDING' } });

    for (const api of [asA, asB, asRequester]) expect((await api.get(`/api/v1/role-requests/${id}`)).body).toMatchObject({ status: 'PENDING', undoUntil: null });
    expect(await inQueue(asA, id)).toBe(true);
    expect(await inQueue(asB, id)).toBe(true);
    expect(await statusInDirectory(id)).toBe('PENDING');

    const approved = await asA.post(`/api/v1/role-requests/${id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'APPROVED', decidedBy: { id: officials[0].id }, undoUntil: null });

    // The workflow has finished (nothing can be sent after this), and what it sent the requester is the approval.
    expect(await result(id)).toMatchObject({ status: 'APPROVED', undone: [{ undoneBy: { id: officials[1].id }, undone: { deciderId: officials[0].id, reasonCode: 'WRONG_ROLE' } }] });
    const email = await decisionEmail(id);
    expect(email.subject).toBe(`Your request for the Staff User role at ${org.name} was approved`);
    const toRequester = (await mailOf(id)).filter((m) => m.to.some((t) => t.address === requester.email));
    expect(toRequester.map((m) => m.subject).sort()).toEqual([
      `Your request for the Staff User role at ${org.name} was approved`,
      `Your request for the Staff User role at ${org.name} was submitted`,
    ]);
    const notices = await scheduledNotices(temporal.client, roleRequestWorkflowId(id));
    expect(notices.filter((n) => n.template === 'request-decided').map((n) => (n.data as { decision: string }).decision)).toEqual(['APPROVED']);
    const inApp = await asRequester.get('/api/v1/notifications');
    expect(inApp.status).toBe(200);
    expect(inApp.body.filter((n: { kind: string }) => n.kind === 'request-decided').map((n: { body: string }) => n.body)).toEqual([expect.stringContaining('approved your request')]);

    const audit = await auditOf(id);
    expect(audit.map((a) => a.action)).toEqual(['role-request.submitted', 'role-request.denied', 'role-request.decision-undone', 'role-request.approved']);
    expect(audit[2]).toMatchObject({
      actor_id: officials[1].id,
      details: {
        role: 'STAFF_USER',
        requesterId: requester.id,
        undone: { status: 'DENIED', decidedById: officials[0].id, decidedBy: officials[0].displayName, decidedAt: denied.body.decidedAt, reasonCode: 'WRONG_ROLE', reason: null },
      },
    });
    const granted = await query(db(), 'SELECT role::text FROM role_assignments WHERE user_id = $1 AND organization_id = $2', [requester.id, org.id]);
    expect(granted).toEqual([{ role: 'STAFF_USER' }]);
  });

  it('the decider may deny, undo and deny again, each denial with its own window; only the last one is told', async () => {
    const { org, officials, as } = await orgWithOfficials(1);
    const [asA] = as;
    const { requester, asRequester, id } = await submitted(org);

    const first = await asA.post(`/api/v1/role-requests/${id}/deny`, { reasonCode: 'NOT_AFFILIATED' });
    expect(first.status).toBe(200);
    expect((await asA.post(`/api/v1/role-requests/${id}/undo`)).body.status).toBe('PENDING');
    const second = await asA.post(`/api/v1/role-requests/${id}/deny`, { reasonCode: 'WRONG_ROLE' });
    expect(second.status).toBe(200);
    expect((await asA.post(`/api/v1/role-requests/${id}/undo`)).body.status).toBe('PENDING');
    const last = await asA.post(`/api/v1/role-requests/${id}/deny`, { reasonCode: 'NEEDS_JUSTIFICATION' });
    expect(last.status).toBe(200);
    expect(last.body).toMatchObject({ status: 'DENIED', reasonCode: 'NEEDS_JUSTIFICATION' });
    // Each denial opens a window of its own, counted from its own decision.
    expect(Date.parse(last.body.undoUntil) - Date.parse(last.body.decidedAt)).toBe(UNDO_WINDOW_MS);
    expect(Date.parse(last.body.undoUntil)).toBeGreaterThan(Date.parse(first.body.undoUntil));
    expect((await asRequester.get(`/api/v1/role-requests/${id}`)).body.status).toBe('PENDING');
    expect((await mailOf(id)).filter((m) => keyOf(m)?.includes('/decided/'))).toEqual([]);

    const email = await decisionEmail(id, DENIAL_EMAIL_WAIT_MS);
    // Not before the window closed.
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(last.body.undoUntil));
    expect(email.subject).toBe(`Your request for the Staff User role at ${org.name} was denied`);
    expect(email.text).toContain(`Why: ${DENY_REASON_LABELS.NEEDS_JUSTIFICATION}`);
    expect(await result(id)).toMatchObject({ status: 'DENIED', decision: { reasonCode: 'NEEDS_JUSTIFICATION' } });
    const decided = (await mailOf(id)).filter((m) => keyOf(m)?.includes('/decided/'));
    expect(decided.map(keyOf).sort()).toEqual([`${roleRequestWorkflowId(id)}/decided/approver/${officials[0].id}`, `${roleRequestWorkflowId(id)}/decided/requester`]);
    expect(decided.filter((m) => m.to.some((t) => t.address === requester.email))).toHaveLength(1);

    // Final now: the requester sees the denial with its reason and suggestion.
    expect((await asRequester.get(`/api/v1/role-requests/${id}`)).body).toMatchObject({ status: 'DENIED', reasonCode: 'NEEDS_JUSTIFICATION', resubmit: last.body.resubmit });
    expect(await inMyRequests(asRequester, id)).toBe(false);
    const audit = await auditOf(id);
    expect(audit.map((a) => a.action)).toEqual([
      'role-request.submitted',
      'role-request.denied',
      'role-request.decision-undone',
      'role-request.denied',
      'role-request.decision-undone',
      'role-request.denied',
    ]);
    expect(audit.filter((a) => a.action === 'role-request.denied').map((a) => a.details.reasonCode)).toEqual(['NOT_AFFILIATED', 'WRONG_ROLE', 'NEEDS_JUSTIFICATION']);
    expect(audit.filter((a) => a.action === 'role-request.decision-undone').map((a) => a.details.undone.reasonCode)).toEqual(['NOT_AFFILIATED', 'WRONG_ROLE']);
  });

  it('after the window: 409 UNDO_WINDOW_CLOSED naming when it closed, while the workflow announces and after it has finished', async () => {
    const { org, as } = await orgWithOfficials(2);
    const { id } = await submitted(org);
    const denied = await as[0].post(`/api/v1/role-requests/${id}/deny`, { reasonCode: 'OTHER', reason: 'We do not know you' });
    expect(denied.status).toBe(200);
    const undoUntil: string = denied.body.undoUntil;

    const email = await decisionEmail(id, DENIAL_EMAIL_WAIT_MS);
    expect(email.subject).toMatch(/was denied$/);
    const late = await as[1].post(`/api/v1/role-requests/${id}/undo`);
    expect(late.status).toBe(409);
    expect(late.body.error).toEqual({ code: 'UNDO_WINDOW_CLOSED', message: `The undo window of this denial closed at ${undoUntil}: the denial is final`, details: { undoUntil } });

    // Once the workflow has finished the answer is the same, read from the directory.
    await result(id);
    const later = await as[0].post(`/api/v1/role-requests/${id}/undo`);
    expect(later.status).toBe(409);
    expect(later.body.error).toEqual(late.body.error);
    expect(await statusInDirectory(id)).toBe('DENIED');
    expect((await auditOf(id)).map((a) => a.action)).toEqual(['role-request.submitted', 'role-request.denied']);
  });

  it('an undo and an approval by two officials at the same instant end in exactly one coherent outcome, every time', async () => {
    const REQUESTS = 10;
    const ROUNDS = 4;
    const { org, officials, as } = await orgWithOfficials(2);
    const [asA, asB] = as;
    const requests = await Promise.all(Array.from({ length: REQUESTS }, () => submitted(org)));
    const rounds = new Map<string, number>(requests.map((r) => [r.id, 0]));
    const outcomes: string[] = [];

    let pending = requests.map((r) => r.id);
    for (let round = 0; round < ROUNDS && pending.length; round++) {
      const denials = await Promise.all(pending.map((id) => asA.post(`/api/v1/role-requests/${id}/deny`, { reasonCode: 'WRONG_ROLE' })));
      expect(denials.map((d) => d.status)).toEqual(pending.map(() => 200));
      // Every pair in flight together: in the first round the two calls leave at the same instant;
      // after that the approval leaves 0-900 ms after the undo, so it meets the undo at different
      // stages (before it is accepted, while it is recorded, after it).
      const raced = await Promise.all(
        pending.map((id, i) => {
          const lag = round === 0 ? 0 : ((i + round) % 10) * 100;
          const approve = lag ? new Promise<void>((r) => setTimeout(r, lag)).then(() => asB.post(`/api/v1/role-requests/${id}/approve`)) : asB.post(`/api/v1/role-requests/${id}/approve`);
          return Promise.all([asA.post(`/api/v1/role-requests/${id}/undo`), approve]);
        }),
      );
      const stillPending: string[] = [];
      for (const [i, id] of pending.entries()) {
        const [undo, approve] = raced[i];
        rounds.set(id, round + 1);
        // The approval can only be accepted once the request is pending again: the undo always wins its window.
        expect(undo.status).toBe(200);
        expect(undo.body.status).toBe('PENDING');
        if (approve.status === 200) {
          outcomes.push('approved');
          expect(approve.body).toMatchObject({ status: 'APPROVED', decidedBy: { id: officials[1].id } });
          expect(await statusInDirectory(id)).toBe('APPROVED');
        } else {
          outcomes.push('refused');
          expect(approve.status).toBe(409);
          expect(approve.body.error).toMatchObject({ code: 'ALREADY_DECIDED', details: { status: 'DENIED', decidedBy: officials[0].displayName } });
          expect(await statusInDirectory(id)).toBe('PENDING');
          expect((await asB.get(`/api/v1/role-requests/${id}`)).body).toMatchObject({ status: 'PENDING', decidedBy: null });
          stillPending.push(id);
        }
      }
      pending = stillPending;
    }
    console.log(`undo vs approve, ${outcomes.length} races: ${outcomes.filter((o) => o === 'approved').length} approved at once, ${outcomes.filter((o) => o === 'refused').length} approvals refused (request pending again)`);

    // Whatever is still pending is approved the ordinary way: every request ends approved, no one was told of a denial.
    for (const id of pending) expect((await asB.post(`/api/v1/role-requests/${id}/approve`)).status).toBe(200);
    for (const { id, requester } of requests) {
      expect(await result(id)).toMatchObject({ status: 'APPROVED' });
      const audit = await auditOf(id);
      const k = rounds.get(id)!;
      expect(audit.map((a) => a.action)).toEqual([
        'role-request.submitted',
        ...Array.from({ length: k }, () => ['role-request.denied', 'role-request.decision-undone']).flat(),
        'role-request.approved',
      ]);
      expect(audit.filter((a) => a.action === 'role-request.decision-undone').every((a) => a.actor_id === officials[0].id)).toBe(true);
      const email = await decisionEmail(id);
      expect(email.subject).toMatch(/was approved$/);
      expect((await mailOf(id)).filter((m) => m.to.some((t) => t.address === requester.email) && /denied/.test(m.subject))).toEqual([]);
    }
    const [counts] = await query<{ granted: number; pending: number; denied: number }>(
      db(),
      `SELECT (SELECT count(*)::int FROM role_assignments WHERE organization_id = $1 AND role = 'STAFF_USER') AS granted,
              (SELECT count(*)::int FROM role_requests WHERE organization_id = $1 AND status = 'PENDING') AS pending,
              (SELECT count(*)::int FROM role_requests WHERE organization_id = $1 AND status = 'DENIED') AS denied`,
      [org.id],
    );
    expect(counts).toEqual({ granted: REQUESTS, pending: 0, denied: 0 });
  });

  it('is refused to the requester, to non-approvers, on approvals and pending requests; a withdrawal in the window supersedes the denial', async () => {
    const { org, officials, as } = await orgWithOfficials(1);
    const [asA] = as;
    const elsewhere = await createUser();
    await grantRole(elsewhere, await createOrganization(), 'SECURITY_OFFICIAL');
    const staff = await createUser();
    await grantRole(staff, org, 'STAFF_USER');
    const [asElsewhere, asStaff] = await Promise.all([signIn(elsewhere), signIn(staff)]);

    const { requester, asRequester, id } = await submitted(org);
    const pendingUndo = await asA.post(`/api/v1/role-requests/${id}/undo`);
    expect(pendingUndo.status).toBe(409);
    expect(pendingUndo.body.error.code).toBe('NOT_UNDOABLE');

    const denied = await asA.post(`/api/v1/role-requests/${id}/deny`, { reasonCode: 'NOT_AFFILIATED' });
    expect(denied.status).toBe(200);
    const own = await asRequester.post(`/api/v1/role-requests/${id}/undo`);
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('FORBIDDEN');
    for (const stranger of [asElsewhere, asStaff]) {
      const res = await stranger.post(`/api/v1/role-requests/${id}/undo`);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await asA.get(`/api/v1/role-requests/${id}`)).body).toMatchObject({ status: 'DENIED', undoUntil: denied.body.undoUntil });
    const unknown = await asA.post(`/api/v1/role-requests/${randomUUID()}/undo`);
    expect(unknown.status).toBe(404);

    // The requester, who sees the request pending, withdraws it: the withdrawal stands, the denial is never told.
    const withdrawn = await asRequester.post(`/api/v1/role-requests/${id}/withdraw`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'WITHDRAWN', decidedBy: { id: requester.id }, reasonCode: null, undoUntil: null });
    const afterWithdrawal = await asA.post(`/api/v1/role-requests/${id}/undo`);
    expect(afterWithdrawal.status).toBe(409);
    expect(afterWithdrawal.body.error).toMatchObject({ code: 'NOT_UNDOABLE', details: { status: 'WITHDRAWN' } });
    expect(await result(id)).toMatchObject({ status: 'WITHDRAWN', decision: null });
    await mailbox().waitForMessage((m) => keyOf(m) === `${roleRequestWorkflowId(id)}/withdrawn/approver/${officials[0].id}`);
    const mail = await mailOf(id);
    expect(mail.map(keyOf).filter((k) => k?.includes('/decided/'))).toEqual([]);
    expect(mail.filter((m) => m.to.some((t) => t.address === requester.email)).map((m) => m.subject).sort()).toEqual([
      `You withdrew your request for the Staff User role at ${org.name}`,
      `Your request for the Staff User role at ${org.name} was submitted`,
    ]);
    const audit = await auditOf(id);
    expect(audit.map((a) => a.action)).toEqual(['role-request.submitted', 'role-request.denied', 'role-request.withdrawn']);
    expect(audit[2].details).toEqual({ role: 'STAFF_USER', supersededDenial: { deniedById: officials[0].id, deniedAt: denied.body.decidedAt, reasonCode: 'NOT_AFFILIATED' } });

    // Approvals are not undoable: removal is the way back.
    const second = await submitted(org);
    expect((await asA.post(`/api/v1/role-requests/${second.id}/approve`)).status).toBe(200);
    const approvalUndo = await asA.post(`/api/v1/role-requests/${second.id}/undo`);
    expect(approvalUndo.status).toBe(409);
    expect(approvalUndo.body.error).toEqual({
      code: 'NOT_UNDOABLE',
      message: 'Approvals cannot be undone: the role was granted at once. Remove the access instead',
      details: { status: 'APPROVED' },
    });
    expect(await statusInDirectory(second.id)).toBe('APPROVED');
  });

  it('while a denial can be undone it is the requester’s pending request (rule 1); once final they may request again, and it stays final', async () => {
    const { org, as } = await orgWithOfficials(1);
    const { requester, asRequester, id } = await submitted(org);
    const denied = await as[0].post(`/api/v1/role-requests/${id}/deny`, { reasonCode: 'NEEDS_JUSTIFICATION' });
    expect(denied.status).toBe(200);
    const during = await asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER', justification: 'Now with a justification.' });
    expect(during.status).toBe(409);
    expect(during.body.error).toMatchObject({ code: 'DUPLICATE_PENDING_REQUEST', field: 'organizationId', details: { pendingRequestId: id, pendingRole: 'STAFF_USER' } });

    await decisionEmail(id, DENIAL_EMAIL_WAIT_MS);
    const again = await asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER', justification: 'Now with a justification.' });
    expect(again.status).toBe(201);
    const undo = await as[0].post(`/api/v1/role-requests/${id}/undo`);
    expect(undo.status).toBe(409);
    expect(undo.body.error).toMatchObject({ code: 'UNDO_WINDOW_CLOSED', details: { undoUntil: denied.body.undoUntil } });
    const rows = await query(db(), 'SELECT id::text, status::text FROM role_requests WHERE requester_id = $1 ORDER BY created_at', [requester.id]);
    expect(rows).toEqual([
      { id, status: 'DENIED' },
      { id: again.body.id, status: 'PENDING' },
    ]);
    expect((await auditOf(id)).map((a) => a.action)).toEqual(['role-request.submitted', 'role-request.denied']);
  });
});

describe('bulk decisions', () => {
  it('decides a batch of 50 while another official decides 5 of them at the same time: one outcome each, in order', async () => {
    const N = 50;
    const { org, officials, as } = await orgWithOfficials(2);
    const [asA, asB] = as;
    const requests: { requester: TestUser; asRequester: Api; id: string }[] = [];
    // Five submissions at a time (each signs a new person in).
    for (let i = 0; i < N; i += 5) requests.push(...(await Promise.all(Array.from({ length: 5 }, () => submitted(org)))));
    const ids = requests.map((r) => r.id);
    const contested = [3, 11, 24, 37, 49].map((i) => ids[i]);

    const key = randomUUID();
    const body = { decision: 'APPROVE', requestIds: ids };
    const [bulk, ...singles] = await Promise.all([
      postWithKey(asA, '/api/v1/role-requests/decisions', body, key),
      ...contested.map((id) => asB.post(`/api/v1/role-requests/${id}/deny`, { reasonCode: 'NEEDS_JUSTIFICATION' })),
    ]);
    expect(bulk.status).toBe(200);
    expect(bulk.replayed).toBeNull();
    const { results } = JSON.parse(bulk.text) as { results: { requestId: string; status: number; request?: any; error?: any }[] };
    expect(results.map((r) => r.requestId)).toEqual(ids);

    const outcome = new Map<string, string>();
    for (const r of results) {
      if (r.status === 200) {
        expect(r.request).toMatchObject({ id: r.requestId, status: 'APPROVED', decidedBy: { id: officials[0].id } });
        expect(r.error).toBeUndefined();
        outcome.set(r.requestId, 'APPROVED');
      } else {
        expect(contested).toContain(r.requestId);
        expect(r.status).toBe(409);
        expect(r.request).toBeUndefined();
        expect(r.error).toMatchObject({ code: 'ALREADY_DECIDED', details: { status: 'DENIED', decidedBy: officials[1].displayName } });
      }
    }
    for (const [i, id] of contested.entries()) {
      const single = singles[i];
      if (single.status === 200) {
        expect(single.body).toMatchObject({ status: 'DENIED', decidedBy: { id: officials[1].id } });
        expect(outcome.has(id)).toBe(false);
        outcome.set(id, 'DENIED');
      } else {
        expect(single.status).toBe(409);
        expect(single.body.error).toMatchObject({ code: 'ALREADY_DECIDED', details: { status: 'APPROVED', decidedBy: officials[0].displayName } });
        expect(outcome.get(id)).toBe('APPROVED');
      }
    }
    expect(outcome.size).toBe(N);
    const deniedIds = [...outcome].filter(([, o]) => o === 'DENIED').map(([id]) => id);
    console.log(`bulk of ${N} with 5 contested: ${N - deniedIds.length} approved by the batch, ${deniedIds.length} denied by the other official first`);

    // Exactly one decision recorded per request, the one answered.
    const rows = await query<{ id: string; status: string }>(db(), 'SELECT id::text, status::text FROM role_requests WHERE id = ANY($1::uuid[])', [ids]);
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual(Object.fromEntries(outcome));
    const decisions = await query<{ subject_id: string; action: string; actor_id: string }>(
      db(),
      `SELECT subject_id, action, actor_id::text FROM audit_events WHERE subject_id = ANY($1::text[]) AND action IN ('role-request.approved', 'role-request.denied')`,
      [ids],
    );
    expect(decisions).toHaveLength(N);
    for (const d of decisions) {
      expect(d.action).toBe(outcome.get(d.subject_id) === 'APPROVED' ? 'role-request.approved' : 'role-request.denied');
      expect(d.actor_id).toBe(outcome.get(d.subject_id) === 'APPROVED' ? officials[0].id : officials[1].id);
    }
    const granted = await query<{ n: number }>(db(), `SELECT count(*)::int AS n FROM role_assignments WHERE organization_id = $1 AND role = 'STAFF_USER'`, [org.id]);
    expect(granted).toEqual([{ n: N - deniedIds.length }]);

    // The same Idempotency-Key replays the whole answer (the same JSON, results in the same order) and decides nothing again.
    const replay = await postWithKey(asA, '/api/v1/role-requests/decisions', body, key);
    expect({ status: replay.status, replayed: replay.replayed }).toEqual({ status: 200, replayed: 'true' });
    expect(JSON.parse(replay.text)).toEqual(JSON.parse(bulk.text));
    expect(JSON.parse(replay.text).results.map((r: { requestId: string }) => r.requestId)).toEqual(ids);
    expect(await query(db(), `SELECT 1 FROM audit_events WHERE subject_id = ANY($1::text[]) AND action IN ('role-request.approved', 'role-request.denied')`, [ids])).toHaveLength(N);

    // Emails as for single decisions (a sample): the requester told, the decider's confirmation.
    for (const i of [0, 25, 48]) {
      const { id, requester } = requests[i];
      if (outcome.get(id) !== 'APPROVED') continue;
      const email = await decisionEmail(id);
      expect(email.to.map((t) => t.address)).toEqual([requester.email]);
      expect(email.subject).toBe(`Your request for the Staff User role at ${org.name} was approved`);
      expect(email.text).toContain(`${officials[0].displayName} approved your request`);
      const confirmation = await mailbox().waitForMessage((m) => keyOf(m) === `${roleRequestWorkflowId(id)}/decided/approver/${officials[0].id}`);
      expect(confirmation.subject).toBe(`You approved ${requester.displayName}'s request for the Staff User role at ${org.name}`);
    }
    // The other official's denials are told once their window has passed, as single ones.
    for (const id of deniedIds) {
      const email = await decisionEmail(id, DENIAL_EMAIL_WAIT_MS);
      expect(email.text).toContain(`Why: ${DENY_REASON_LABELS.NEEDS_JUSTIFICATION}`);
    }
  });

  it('keeps each refusal in its place: another organization’s request (403), an unknown id (404), one decided already (409)', async () => {
    const { org, officials, as } = await orgWithOfficials(1);
    const [asA] = as;
    const elsewhere = await orgWithOfficials(1);
    const [first, decided, last] = await Promise.all([submitted(org), submitted(org), submitted(org)]);
    const foreign = await submitted(elsewhere.org);
    expect((await asA.post(`/api/v1/role-requests/${decided.id}/approve`)).status).toBe(200);
    const unknown = randomUUID();

    const ids = [first.id, foreign.id, unknown, decided.id, last.id];
    const res = await asA.post('/api/v1/role-requests/decisions', { decision: 'DENY', requestIds: ids, reasonCode: 'WRONG_ORGANIZATION' });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { requestId: string; status: number }) => [r.requestId, r.status])).toEqual([
      [first.id, 200],
      [foreign.id, 403],
      [unknown, 404],
      [decided.id, 409],
      [last.id, 200],
    ]);
    const [r0, r1, r2, r3, r4] = res.body.results;
    for (const ok of [r0, r4]) {
      expect(ok.request).toMatchObject({ status: 'DENIED', reasonCode: 'WRONG_ORGANIZATION', decidedBy: { id: officials[0].id }, undoUntil: expect.any(String) });
      expect(Date.parse(ok.request.undoUntil) - Date.parse(ok.request.decidedAt)).toBe(UNDO_WINDOW_MS);
    }
    expect(r1.error.code).toBe('FORBIDDEN');
    expect(r2.error.code).toBe('NOT_FOUND');
    expect(r3.error).toMatchObject({ code: 'ALREADY_DECIDED', details: { status: 'APPROVED' } });
    expect(await statusInDirectory(foreign.id)).toBe('PENDING');

    // A bulk denial is a denial like any other: undoable in its window, told once it is final.
    expect((await asA.post(`/api/v1/role-requests/${first.id}/undo`)).body.status).toBe('PENDING');
    expect((await first.asRequester.get(`/api/v1/role-requests/${first.id}`)).body.status).toBe('PENDING');
    const email = await decisionEmail(last.id, DENIAL_EMAIL_WAIT_MS);
    expect(email.text).toContain(`Why: ${DENY_REASON_LABELS.WRONG_ORGANIZATION}`);
    expect(email.text).toMatch(/Request again: https?:\/\/\S+\/connect\?again=/);
    expect((await auditOf(first.id)).map((a) => a.action)).toEqual(['role-request.submitted', 'role-request.denied', 'role-request.decision-undone']);
    expect(await statusInDirectory(first.id)).toBe('PENDING');
  });

  it('reads a request id in capitals as the same request, alone and in a batch, where naming it twice is a duplicate', async () => {
    const { org, officials, as } = await orgWithOfficials(1);
    const [asA] = as;
    const [a, b] = await Promise.all([submitted(org), submitted(org)]);

    const twice = await asA.post('/api/v1/role-requests/decisions', { decision: 'APPROVE', requestIds: [a.id, a.id.toUpperCase()] });
    expect(twice.status).toBe(400);
    expect(twice.body.error).toEqual({ code: 'VALIDATION_FAILED', message: 'requestIds must not name a request twice', field: 'requestIds' });
    expect(await statusInDirectory(a.id)).toBe('PENDING');

    expect((await asA.get(`/api/v1/role-requests/${a.id.toUpperCase()}`)).body).toMatchObject({ id: a.id, status: 'PENDING' });
    const single = await asA.post(`/api/v1/role-requests/${a.id.toUpperCase()}/approve`);
    expect(single.status).toBe(200);
    expect(single.body).toMatchObject({ id: a.id, status: 'APPROVED', decidedBy: { id: officials[0].id } });
    const bulk = await asA.post('/api/v1/role-requests/decisions', { decision: 'DENY', reasonCode: 'WRONG_ROLE', requestIds: [b.id.toUpperCase(), a.id.toUpperCase()] });
    expect(bulk.status).toBe(200);
    expect(bulk.body.results).toEqual([
      { requestId: b.id, status: 200, request: expect.objectContaining({ id: b.id, status: 'DENIED', reasonCode: 'WRONG_ROLE' }) },
      { requestId: a.id, status: 409, error: expect.objectContaining({ code: 'ALREADY_DECIDED', details: expect.objectContaining({ status: 'APPROVED' }) }) },
    ]);
    expect((await asA.post(`/api/v1/role-requests/${b.id.toUpperCase()}/undo`)).body).toMatchObject({ id: b.id, status: 'PENDING' });
    expect((await auditOf(b.id)).map((e) => e.action)).toEqual(['role-request.submitted', 'role-request.denied', 'role-request.decision-undone']);
  });
});
