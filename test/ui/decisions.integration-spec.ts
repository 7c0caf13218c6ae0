// Decisions that forgive mistakes, in a real browser (issue 17): a denial asks why and can be
// undone while its undo window is open (20 s in the test stack); a denied requester reads why and
// asks again with the suggestion prefilled, from Manage Access or from the emailed link; and a
// Security Official decides many requests at once, a request decided meanwhile by another
// approver failing alone. Every test makes its own people and organizations.
import type { Page } from 'playwright-core';
import { totpCode } from '@am/devstack';
import { mailbox, signIn, type Api } from '../support/api';
import { createOrganization, createUser, grantRole, TEST_PASSWORD, TEST_TOTP_SECRET, type TestOrganization, type TestUser } from '../support/factories';
import { chromiumForFile, signInApiBeforeBrowser, signInThroughUi, violations } from './browser';

const ui = chromiumForFile();
let page: Page;
beforeEach(async () => {
  page = await ui.open();
});

/** Signs in on the sign-in page the browser is on (after a link sent it there), without going to / first. */
async function signInHere(p: Page, user: TestUser): Promise<void> {
  await p.getByLabel('User ID').fill(user.loginId);
  await p.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await p.getByLabel('Yes, I agree.').check();
  await p.getByRole('button', { name: 'Sign In' }).click();
  await p.getByLabel('Security code').fill(totpCode(TEST_TOTP_SECRET));
  await p.getByRole('button', { name: 'Verify' }).click();
}

const statusOf = async (api: Api, requestId: string) => {
  const res = await api.get(`/api/v1/role-requests/${requestId}`);
  expect(res.status).toBe(200);
  return res.body as { status: string; reasonCode: string | null; undoUntil: string | null; decidedBy: { displayName: string } | null };
};

/** A person's request at an organization, submitted through the API. */
async function submit(requester: Api, org: TestOrganization, role: 'STAFF_USER' | 'SECURITY_OFFICIAL' = 'STAFF_USER'): Promise<string> {
  const res = await requester.post('/api/v1/role-requests', { organizationId: org.id, role });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('web UI: decisions (issue 17)', () => {
  it('denies with a reason code, shows "Denied — Undo" with the time left, and Undo puts the request back as pending', async () => {
    const org = await createOrganization();
    const official = await createUser();
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const requester = await createUser({ displayName: 'Uma Undo-Me' });
    const requestId = await submit(await signIn(requester), org);
    const officialApi = await signInApiBeforeBrowser(official);
    await signInThroughUi(page, official);

    const pendingRow = page.getByTestId('pending-request').filter({ hasText: 'Uma Undo-Me' });
    await pendingRow.waitFor();
    expect(await page.getByRole('region', { name: /Pending Requests/ }).textContent()).toContain('Approvals take effect at once and can’t be undone.');
    await pendingRow.getByRole('button', { name: 'Deny' }).click();
    const dialog = page.getByRole('dialog', { name: 'Deny this request?' });

    // No default: the decider must say why; "Other" needs a reason too. Nothing is sent meanwhile.
    await dialog.getByRole('button', { name: 'Yes, Deny Request' }).click();
    await dialog.getByText('Choose why you are denying: the requester is told the reason.').waitFor();
    await dialog.getByRole('radio', { name: /Other/ }).check();
    await dialog.getByRole('button', { name: 'Yes, Deny Request' }).click();
    await dialog.getByText('Enter a reason: a reason is required when you choose “Other”.').waitFor();
    expect(await violations(page)).toEqual([]);
    expect((await statusOf(officialApi, requestId)).status).toBe('PENDING');

    await dialog.getByRole('radio', { name: /Wrong role/ }).check();
    await dialog.getByRole('button', { name: 'Yes, Deny Request' }).click();
    await dialog.waitFor({ state: 'detached' });

    const deniedRow = page.getByTestId('denied-request').filter({ hasText: 'Uma Undo-Me' });
    await deniedRow.waitFor();
    expect(await deniedRow.textContent()).toContain('Denied — Undo');
    expect(await deniedRow.getByRole('timer').textContent()).toMatch(/^0:(1\d|20|0\d) left$/);
    expect(await pendingRow.count()).toBe(0);
    const denied = await statusOf(officialApi, requestId);
    expect(denied).toMatchObject({ status: 'DENIED', reasonCode: 'WRONG_ROLE' });
    expect(Date.parse(denied.undoUntil!)).toBeGreaterThan(Date.now());
    // The countdown runs: the time left shown changes.
    const first = await deniedRow.getByRole('timer').textContent();
    await deniedRow.getByRole('timer').filter({ hasNotText: first! }).waitFor({ timeout: 5_000 });
    // Focus went to Undo, the next thing the decider may want.
    expect(await page.evaluate(`document.activeElement?.textContent`)).toBe('Undo');
    expect(await page.evaluate(`document.activeElement?.closest('[data-testid="denied-request"]')?.textContent`)).toContain('Uma Undo-Me');

    await deniedRow.getByRole('button', { name: 'Undo' }).click();
    await page.getByTestId('toast').filter({ hasText: "You undid the denial: Uma Undo-Me's request for the Staff User role" }).waitFor();
    await deniedRow.waitFor({ state: 'detached' });
    await pendingRow.getByRole('button', { name: 'Approve' }).waitFor();
    expect(await statusOf(officialApi, requestId)).toMatchObject({ status: 'PENDING', undoUntil: null });
  });

  it('after the undo window: the row says the denial is final, and a late Undo shows the server’s refusal', async () => {
    const org = await createOrganization();
    const official = await createUser();
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const fay = await createUser({ displayName: 'Fay Final' });
    const gus = await createUser({ displayName: 'Gus Too-Late' });
    await submit(await signIn(fay), org);
    await submit(await signIn(gus), org);
    await signInThroughUi(page, official);

    const denyInUi = async (name: string) => {
      await page.getByTestId('pending-request').filter({ hasText: name }).getByRole('button', { name: 'Deny' }).click();
      const dialog = page.getByRole('dialog', { name: 'Deny this request?' });
      await dialog.getByRole('radio', { name: /Other/ }).check();
      await dialog.getByLabel('Reason (required for “Other”)').fill('We are merging practices this month');
      await dialog.getByRole('button', { name: 'Yes, Deny Request' }).click();
      await dialog.waitFor({ state: 'detached' });
      const row = page.getByTestId('denied-request').filter({ hasText: name });
      await row.getByRole('button', { name: 'Undo' }).waitFor();
      return row;
    };
    const fayRow = await denyInUi('Fay Final');
    const gusRow = await denyInUi('Gus Too-Late');
    expect(await fayRow.textContent()).toContain('We are merging practices this month');

    // The page's clock stops, so its countdown still offers Undo after the server's window closed
    // (the requester's email is sent when the denial is final: 20 s in the test stack).
    await page.evaluate(`(() => { const frozen = Date.now(); window.realNow = Date.now; Date.now = () => frozen; })()`);
    expect(await violations(page)).toEqual([]);
    await mailbox().waitForMessage((m) => m.to.some((t) => t.address === fay.email) && m.subject.endsWith('was denied'), 60_000);
    await fayRow.getByRole('button', { name: 'Undo' }).click();
    await fayRow.filter({ hasText: /The undo window of this denial closed at .*: the denial is final/ }).waitFor();
    expect(await fayRow.getByRole('button', { name: 'Undo' }).count()).toBe(0);

    // With the clock running again the other row turns final on its own, and can be dismissed.
    await page.evaluate(`void (Date.now = window.realNow)`);
    await gusRow.filter({ hasText: 'The denial is final: the undo window closed at' }).waitFor();
    expect(await gusRow.getByRole('button', { name: 'Undo' }).count()).toBe(0);
    await gusRow.getByRole('button', { name: 'Dismiss' }).click();
    await gusRow.waitFor({ state: 'detached' });
  });

  it('shows a denied requester why, with the hint, and "Request again" prefilled with the other role, also from the emailed link', async () => {
    const org = await createOrganization();
    const official = await createUser({ displayName: 'Olive Official' });
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const requester = await createUser();
    const requesterApi = await signInApiBeforeBrowser(requester);
    const requestId = await submit(requesterApi, org, 'STAFF_USER');
    const denied = await (await signIn(official)).post(`/api/v1/role-requests/${requestId}/deny`, { reasonCode: 'WRONG_ROLE' });
    expect(denied.status).toBe(200);
    const hint = `Request the Security Official role at ${org.name} instead.`;
    expect(denied.body.resubmit).toEqual({ organizationId: org.id, role: 'SECURITY_OFFICIAL', hint });

    // The requester is emailed once the undo window has closed; its link opens "Request again".
    const email = await mailbox().waitForMessage((m) => m.to.some((t) => t.address === requester.email) && m.subject.endsWith('was denied'), 60_000);
    const link = /https?:\/\/[^\s"'<>]+\/connect\?[^\s"'<>]+/.exec(email.text)?.[0];
    expect(link).toBeDefined();
    const url = new URL(link!);
    expect(Object.fromEntries(url.searchParams)).toEqual({ organizationId: org.id, role: 'SECURITY_OFFICIAL', again: requestId });

    // Opened signed out: sign-in first, then back to the link.
    await page.goto(url.pathname + url.search);
    await page.getByRole('button', { name: 'Sign In' }).waitFor();
    await signInHere(page, requester);
    await expectRequestAgainForm(page, org, hint);

    // Manage Access lists the denial with why, the hint and "Request again".
    await page.getByRole('link', { name: 'Manage Access' }).first().click();
    const card = page.getByTestId('my-denied-request').filter({ hasText: org.name });
    await card.waitFor();
    const text = await card.textContent();
    expect(text).toContain('Staff User at ' + org.name);
    expect(text).toContain('Denied by Olive Official');
    expect(text).toContain('This is not the role you need at this organization.');
    expect(text).toContain(hint);
    expect(await violations(page)).toEqual([]);
    expect(await card.getByRole('link', { name: 'Request again' }).getAttribute('href')).toBe(`/connect?organizationId=${org.id}&role=SECURITY_OFFICIAL&again=${requestId}`);
    await card.getByRole('link', { name: 'Request again' }).click();
    await expectRequestAgainForm(page, org, hint);

    await page.getByRole('button', { name: 'Submit request' }).click();
    await page.getByRole('heading', { name: 'Your request has been submitted' }).waitFor();
    expect(await page.getByRole('main').textContent()).toContain(`You asked for the Security Official role at ${org.name}`);
    const mine = await requesterApi.get('/api/v1/manage-access');
    expect(mine.body.myRequests).toEqual([expect.objectContaining({ role: 'SECURITY_OFFICIAL', organization: expect.objectContaining({ id: org.id }) })]);
  });

  it('asks again for a justification where that was the reason (focused, required); a wrong organization asks again through a plain search', async () => {
    const org = await createOrganization();
    const wrongOrg = await createOrganization();
    const official = await createUser();
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    await grantRole(official, wrongOrg, 'SECURITY_OFFICIAL');
    const requester = await createUser();
    const requesterApi = await signInApiBeforeBrowser(requester);
    const requestId = await submit(requesterApi, org, 'STAFF_USER');
    const wrongId = await submit(requesterApi, wrongOrg, 'STAFF_USER');
    const officialApi = await signIn(official);
    expect((await officialApi.post(`/api/v1/role-requests/${requestId}/deny`, { reasonCode: 'NEEDS_JUSTIFICATION' })).status).toBe(200);
    expect((await officialApi.post(`/api/v1/role-requests/${wrongId}/deny`, { reasonCode: 'WRONG_ORGANIZATION' })).status).toBe(200);
    const deniedEmail = (orgName: string) =>
      mailbox().waitForMessage((m) => m.to.some((t) => t.address === requester.email) && m.subject === `Your request for the Staff User role at ${orgName} was denied`, 60_000);
    await Promise.all([deniedEmail(org.name), deniedEmail(wrongOrg.name)]);

    await signInThroughUi(page, requester);
    // The wrong organization: "Request again" searches afresh, nothing prefilled.
    const wrongCard = page.getByTestId('my-denied-request').filter({ hasText: wrongOrg.name });
    expect(await wrongCard.getByRole('link', { name: 'Request again' }).getAttribute('href')).toBe(`/connect?again=${wrongId}`);
    await wrongCard.getByRole('link', { name: 'Request again' }).click();
    const banner = page.getByTestId('request-again-banner');
    await banner.filter({ hasText: 'This is not the organization you report for.' }).waitFor();
    expect(await banner.textContent()).toContain('Search for the organization you report for');
    await page.waitForFunction(`document.activeElement?.id === 'org-search'`);
    expect(await page.getByRole('heading', { name: 'Request a role' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Manage Access' }).first().click();
    const card = page.getByTestId('my-denied-request').filter({ hasText: org.name });
    await card.getByRole('link', { name: 'Request again' }).click();
    await banner.filter({ hasText: 'The request needs a justification saying why you need this role.' }).waitFor();
    const justification = page.getByLabel('Why do you need this role? (required: the Security Official asked for it)');
    await page.waitForFunction(`document.activeElement?.id === 'justification'`);
    expect(await page.getByRole('radio', { name: 'Staff User' }).isChecked()).toBe(true);

    await page.getByRole('button', { name: 'Submit request' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('Say why you need this role');
    await justification.fill('I submit our quality data each quarter');
    await page.getByRole('button', { name: 'Submit request' }).click();
    await page.getByRole('heading', { name: 'Your request has been submitted' }).waitFor();
    const mine = await requesterApi.get('/api/v1/manage-access');
    expect(mine.body.myRequests).toEqual([expect.objectContaining({ role: 'STAFF_USER', organization: expect.objectContaining({ id: org.id }) })]);
  });

  it('approves selected requests in one call: a request decided meanwhile by another approver fails alone and stays listed with its reason', async () => {
    const org = await createOrganization();
    const official = await createUser();
    const other = await createUser({ displayName: 'Otto Other-Official' });
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    await grantRole(other, org, 'SECURITY_OFFICIAL');
    const names = ['Bea Bulk-One', 'Ben Bulk-Two', 'Bo Bulk-Three'];
    const ids: string[] = [];
    for (const name of names) ids.push(await submit(await signIn(await createUser({ displayName: name })), org));
    const officialApi = await signInApiBeforeBrowser(official);
    await signInThroughUi(page, official);

    const group = page.getByTestId('request-group').filter({ hasText: org.name });
    await group.getByTestId('pending-request').nth(2).waitFor();
    await group.getByLabel(`Select all 3 at ${org.name}`).check();
    for (const name of names) expect(await page.getByLabel(new RegExp(`Select ${name}’s request`)).isChecked()).toBe(true);
    await page.getByText('3 of 3 selected').waitFor();
    await page.getByRole('button', { name: 'Approve selected' }).click();
    const dialog = page.getByRole('dialog', { name: 'Approve 3 requests?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('can’t be undone');

    // Meanwhile another Security Official approves the second one.
    expect((await (await signIn(other)).post(`/api/v1/role-requests/${ids[1]}/approve`)).status).toBe(200);
    await dialog.getByRole('button', { name: 'Yes, Approve 3 requests' }).click();

    await page.getByTestId('toast').filter({ hasText: '2 approved, 1 could not be decided.' }).waitFor();
    const failure = page.getByTestId('decision-failure');
    await failure.waitFor();
    expect(await failure.count()).toBe(1);
    const failureText = await failure.textContent();
    expect(failureText).toContain('Ben Bulk-Two');
    expect(failureText).toContain('This request was already approved by Otto Other-Official');
    expect(await violations(page)).toEqual([]);
    await page.getByRole('heading', { name: 'Pending Requests (0)' }).waitFor();
    expect(await page.getByTestId('pending-request').count()).toBe(0);
    const decided = await Promise.all(ids.map((id) => statusOf(officialApi, id)));
    expect(decided.map((d) => [d.status, d.decidedBy?.displayName])).toEqual([
      ['APPROVED', official.displayName],
      ['APPROVED', 'Otto Other-Official'],
      ['APPROVED', official.displayName],
    ]);
    // The failure stays listed (the toast comes and goes) until dismissed.
    await failure.getByRole('button', { name: /Dismiss/ }).click();
    await page.getByTestId('decision-failures').waitFor({ state: 'detached' });
  });

  it('denies selected requests with one reason code, each then offering Undo', async () => {
    const org = await createOrganization();
    const official = await createUser();
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const names = ['Dot Deny-One', 'Dan Deny-Two'];
    const ids: string[] = [];
    for (const name of names) ids.push(await submit(await signIn(await createUser({ displayName: name })), org));
    const officialApi = await signInApiBeforeBrowser(official);
    await signInThroughUi(page, official);

    for (const name of names) await page.getByLabel(new RegExp(`Select ${name}’s request`)).check();
    await page.getByRole('button', { name: 'Deny selected' }).click();
    const dialog = page.getByRole('dialog', { name: 'Deny 2 requests?' });
    await dialog.getByRole('button', { name: 'Yes, Deny 2 requests' }).click();
    await dialog.getByText('Choose why you are denying').waitFor();
    await dialog.getByRole('radio', { name: /Not affiliated/ }).check();
    await dialog.getByRole('button', { name: 'Yes, Deny 2 requests' }).click();

    await page.getByTestId('toast').filter({ hasText: '2 denied.' }).waitFor();
    const denied = page.getByTestId('denied-request');
    await denied.nth(1).waitFor();
    for (const name of names) expect(await denied.filter({ hasText: name }).textContent()).toContain('Denied — Undo');
    for (const id of ids) expect(await statusOf(officialApi, id)).toMatchObject({ status: 'DENIED', reasonCode: 'NOT_AFFILIATED' });

    await denied.filter({ hasText: 'Dan Deny-Two' }).getByRole('button', { name: 'Undo' }).click();
    await page.getByTestId('pending-request').filter({ hasText: 'Dan Deny-Two' }).waitFor();
    expect((await statusOf(officialApi, ids[1]!)).status).toBe('PENDING');
    expect((await statusOf(officialApi, ids[0]!)).status).toBe('DENIED');
  });
});

/** Connect, opened by "Request again": the banner says why, the organization and the other role are chosen. */
async function expectRequestAgainForm(p: Page, org: TestOrganization, hint: string): Promise<void> {
  await p.getByRole('heading', { level: 1, name: 'Connect to another organization' }).waitFor();
  const banner = p.getByTestId('request-again-banner');
  await banner.waitFor();
  const text = await banner.textContent();
  expect(text).toContain(`Your request for the Staff User role at ${org.name} was denied`);
  expect(text).toContain('This is not the role you need at this organization.');
  expect(text).toContain(hint);
  const choice = p.getByRole('radio', { name: new RegExp(org.name) });
  await choice.waitFor();
  expect(await choice.isChecked()).toBe(true);
  expect(await p.getByRole('radio', { name: 'Security Official' }).isChecked()).toBe(true);
  expect(await violations(p)).toEqual([]);
}
