// Issue 17 (part 2): a denial carries a reason code; the requester is told it in plain words, with
// a suggestion of what to do next fitted to the code, in the request's view and in the real email.
import { DENY_REASON_CODES, DENY_REASON_LABELS, type DenyReasonCode } from '@am/contracts';
import { query } from '@am/devstack';
import { testStack } from '../setup/stack';
import { mailbox, signIn } from '../support/api';
import { createOrganization, createUser, grantRole } from '../support/factories';

async function deniedWith(body: Record<string, unknown>) {
  const org = await createOrganization();
  const official = await createUser();
  await grantRole(official, org, 'SECURITY_OFFICIAL');
  const requester = await createUser();
  const asRequester = await signIn(requester);
  const submitted = await asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
  expect(submitted.status).toBe(201);
  const denied = await (await signIn(official)).post(`/api/v1/role-requests/${submitted.body.id}/deny`, body);
  return { org, official, requester, asRequester, id: submitted.body.id as string, denied };
}

/** The HTML entities Handlebars writes into an attribute. */
const decodeEntities = (s: string) => s.replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))).replace(/&amp;/g, '&');

type Denial = Awaited<ReturnType<typeof deniedWith>>;

/** Where the emails link to (notifications' WEB_BASE_URL; its default in the test stack). */
const webBaseUrl = () => (testStack().serviceEnv.WEB_BASE_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');

async function expectToldWhyAndWhatNext(code: DenyReasonCode, { org, requester, asRequester, id, denied }: Denial) {
  expect(denied.status).toBe(200);
  expect(denied.body).toMatchObject({ status: 'DENIED', reasonCode: code, undoUntil: expect.any(String) });
  const expected: { organizationId?: string; role?: string; hint: string } = {
    NOT_AFFILIATED: { hint: `Contact ${org.name} to confirm your affiliation before you request a role there again.` },
    WRONG_ORGANIZATION: { hint: 'Search for the organization you report for, and request your role there.' },
    WRONG_ROLE: { organizationId: org.id, role: 'SECURITY_OFFICIAL', hint: `Request the Security Official role at ${org.name} instead.` },
    NEEDS_JUSTIFICATION: { organizationId: org.id, role: 'STAFF_USER', hint: `Submit the request again with a justification saying why you need the Staff User role at ${org.name}.` },
    OTHER: { organizationId: org.id, role: 'STAFF_USER', hint: 'If the reason no longer applies, you may submit a new request.' },
  }[code];
  expect(denied.body.resubmit).toEqual(expected);
  // No one-click resubmit where the organization was wrong or the requester is not affiliated.
  if (code === 'NOT_AFFILIATED' || code === 'WRONG_ORGANIZATION') expect(denied.body.resubmit.organizationId).toBeUndefined();

  // Inside the undo window the requester is told nothing: the request is pending as far as they know.
  const during = await asRequester.get(`/api/v1/role-requests/${id}`);
  expect(during.body).toMatchObject({ status: 'PENDING', reasonCode: null, resubmit: null, undoUntil: null });

  const email = await mailbox().waitForMessage((m) => m.headers['x-idempotency-key'] === `role-request-${id}/decided/requester`, 90_000);
  expect(email.to.map((t) => t.address)).toEqual([requester.email]);
  expect(email.subject).toBe(`Your request for the Staff User role at ${org.name} was denied`);
  expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(denied.body.undoUntil));
  expect(email.text).toContain(`Why: ${DENY_REASON_LABELS[code]}`);
  expect(email.text).toContain(`What you can do: ${expected.hint}`);
  expect(email.html).toContain(`Why: ${DENY_REASON_LABELS[code]}`);
  if (code === 'OTHER') expect(email.text).toContain('Reason given: We are merging practices this month');
  // "Request again" opens Connect prefilled with the suggestion, naming the denied request; none where there is nothing to click.
  const againLink = /Request again: (\S+)/.exec(email.text)?.[1];
  const againPath = {
    NOT_AFFILIATED: null,
    WRONG_ORGANIZATION: `/connect?again=${id}`,
    WRONG_ROLE: `/connect?organizationId=${org.id}&role=SECURITY_OFFICIAL&again=${id}`,
    NEEDS_JUSTIFICATION: `/connect?organizationId=${org.id}&role=STAFF_USER&again=${id}`,
    OTHER: `/connect?organizationId=${org.id}&role=STAFF_USER&again=${id}`,
  }[code];
  if (againPath === null) {
    expect(againLink).toBeUndefined();
    expect(email.text).toContain(`Open Manage Access: ${webBaseUrl()}/manage-access`);
    expect(email.html).not.toContain('Request again');
  } else {
    expect(againLink).toBe(`${webBaseUrl()}${againPath}`);
    const hrefs = [...email.html.matchAll(/<a href="([^"]+)"[^>]*>Request again<\/a>/g)].map((m) => decodeEntities(m[1]));
    expect(hrefs).toEqual([`${webBaseUrl()}${againPath}`]);
    // The link's suggestion is the view's.
    const url = new URL(againLink!);
    expect(url.searchParams.get('organizationId') ?? undefined).toBe(expected.organizationId);
    expect(url.searchParams.get('role') ?? undefined).toBe(expected.role);
  }

  // Final now: the requester's view says why and what to do next, as the decider's answer did.
  const seen = await asRequester.get(`/api/v1/role-requests/${id}`);
  expect(seen.body).toMatchObject({ status: 'DENIED', reasonCode: code, resubmit: denied.body.resubmit });

  const [audited] = await query<{ code: string }>(testStack().databaseUrl, `SELECT details->>'reasonCode' AS code FROM audit_events WHERE subject_id = $1 AND action = 'role-request.denied'`, [id]);
  expect(audited.code).toBe(code);
}

describe('deny reasons with guided resubmit', () => {
  // All five are denied first and their emails awaited together: each is sent only once its undo
  // window (20 s in the test stack) has passed.
  it('each code: the view, and the requester’s email once the denial is final, say why and what to do next, with the Request again link', async () => {
    const denials = await Promise.all(DENY_REASON_CODES.map(async (code) => ({ code, ...(await deniedWith({ reasonCode: code, ...(code === 'OTHER' ? { reason: 'We are merging practices this month' } : {}) })) })));
    await Promise.all(denials.map((d) => expectToldWhyAndWhatNext(d.code, d)));
  }, 180_000);

  it('a deny without a code is OTHER, as API v1 callers send it', async () => {
    const { denied } = await deniedWith({});
    expect(denied.status).toBe(200);
    expect(denied.body).toMatchObject({ status: 'DENIED', reasonCode: 'OTHER', reason: null, resubmit: { hint: expect.any(String) } });
  });

  it('OTHER needs a reason, and an unknown code is refused, naming the field; nothing is decided', async () => {
    const other = await deniedWith({ reasonCode: 'OTHER', reason: '   ' });
    expect(other.denied.status).toBe(400);
    expect(other.denied.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'reason' });
    const unknown = await deniedWith({ reasonCode: 'BECAUSE' });
    expect(unknown.denied.status).toBe(400);
    expect(unknown.denied.body.error.message).toMatch(/reasonCode must be one of NOT_AFFILIATED/);
    for (const { asRequester, id } of [other, unknown]) expect((await asRequester.get(`/api/v1/role-requests/${id}`)).body.status).toBe('PENDING');
  });

  it('approvals carry no reason code and no suggestion', async () => {
    const org = await createOrganization();
    const official = await createUser();
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const requester = await createUser();
    const submitted = await (await signIn(requester)).post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    const approved = await (await signIn(official)).post(`/api/v1/role-requests/${submitted.body.id}/approve`);
    expect(approved.body).toMatchObject({ status: 'APPROVED', reasonCode: null, resubmit: null });
  });
});
