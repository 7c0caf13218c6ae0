// The Manage Access screen in a real browser (seed 000, steps 3-4; PRODUCT.md rules 3, 5, 6, 8):
// approve and deny pending requests, filter connected organizations, see who can approve one's
// own request, and withdraw it. Every test makes its own people and organizations.
import type { Page } from 'playwright-core';
import { query } from '@am/devstack';
import { testStack } from '../setup/stack';
import { signIn } from '../support/api';
import { createOrganization, createUser, grantRole } from '../support/factories';
import { chromiumForFile, signInApiBeforeBrowser, signInThroughUi } from './browser';

const ui = chromiumForFile();
let page: Page;
beforeEach(async () => {
  page = await ui.open();
});

const statusOf = async (requestId: string) =>
  (await query<{ status: string; reason: string | null }>(testStack().databaseUrl, 'SELECT status, reason FROM role_requests WHERE id = $1', [requestId]))[0];
const roleOf = async (userId: string, orgId: string) =>
  (await query<{ role: string }>(testStack().databaseUrl, 'SELECT role FROM role_assignments WHERE user_id = $1 AND organization_id = $2', [userId, orgId]))[0]?.role;

/** An organization with a Security Official, and a person whose request there is pending. */
async function pendingRequest(o: { role?: 'STAFF_USER' | 'SECURITY_OFFICIAL'; requesterName?: string } = {}) {
  const org = await createOrganization();
  const official = await createUser();
  await grantRole(official, org, 'SECURITY_OFFICIAL');
  const requester = await createUser({ displayName: o.requesterName });
  const submitted = await (await signIn(requester)).post('/api/v1/role-requests', { organizationId: org.id, role: o.role ?? 'STAFF_USER', justification: 'I file our reports' });
  expect(submitted.status).toBe(201);
  return { org, official, requester, requestId: submitted.body.id as string };
}

describe('web UI: Manage Access', () => {
  it('approves a pending request: a confirmation pop-up, the row goes, and the role is granted', async () => {
    const { org, official, requester, requestId } = await pendingRequest({ requesterName: 'Thomas Approve-Me' });
    await signInThroughUi(page, official);

    const pending = page.getByRole('region', { name: /Pending Requests/ });
    await pending.getByRole('heading', { name: 'Pending Requests (1)' }).waitFor();
    const row = pending.getByTestId('pending-request').filter({ hasText: 'Thomas Approve-Me' });
    expect(await row.textContent()).toContain(org.name);
    expect(await row.textContent()).toContain('Staff User');
    await row.getByRole('button', { name: 'Approve' }).click();

    await page.getByTestId('toast').filter({ hasText: `You approved Thomas Approve-Me's request for the Staff User role at ${org.name}.` }).waitFor();
    await row.waitFor({ state: 'detached' });
    await pending.getByRole('heading', { name: 'Pending Requests (0)' }).waitFor();
    expect(await statusOf(requestId)).toMatchObject({ status: 'APPROVED' });
    expect(await roleOf(requester.id, org.id)).toBe('STAFF_USER');
    // The organization's card now counts two connected users and no pending one.
    const card = page.getByTestId('organization-card').filter({ hasText: org.name });
    await card.filter({ hasText: '2 connected users' }).waitFor();
    expect(await card.textContent()).toContain('0 pending users');
  });

  it('denies a pending request with a reason, after the deny dialog', async () => {
    const { official, requester, requestId, org } = await pendingRequest({ requesterName: 'Dana Deny-Me' });
    await signInThroughUi(page, official);

    const row = page.getByTestId('pending-request').filter({ hasText: 'Dana Deny-Me' });
    await row.getByRole('button', { name: 'Deny' }).click();
    const dialog = page.getByRole('dialog', { name: 'Deny this request?' });
    await dialog.getByRole('radio', { name: /Other/ }).check();
    await dialog.getByLabel('Reason (required for “Other”)').fill('Not part of our practice');
    await dialog.getByRole('button', { name: 'Yes, Deny Request' }).click();

    await page.getByTestId('toast').filter({ hasText: "You denied Dana Deny-Me's request" }).waitFor();
    await dialog.waitFor({ state: 'detached' });
    await row.waitFor({ state: 'detached' });
    expect(await statusOf(requestId)).toEqual({ status: 'DENIED', reason: 'Not part of our practice' });
    expect(await roleOf(requester.id, org.id)).toBeUndefined();
  });

  it('cancels a deny: the request stays pending', async () => {
    const { official, requestId } = await pendingRequest({ requesterName: 'Carl Keep-Me' });
    await signInThroughUi(page, official);
    const row = page.getByTestId('pending-request').filter({ hasText: 'Carl Keep-Me' });
    await row.getByRole('button', { name: 'Deny' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'No, Cancel Action' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await row.count()).toBe(1);
    expect(await statusOf(requestId)).toMatchObject({ status: 'PENDING' });
  });

  it('shows connected organizations by kind with counts, filters them by name, and offers View users to Security Officials', async () => {
    const stamp = Date.now().toString(36);
    const official = await createUser();
    const alpha = await createOrganization({ name: `Alpha Clinic ${stamp}` });
    const beta = await createOrganization({ name: `Beta Medical ${stamp}` });
    const registry = await createOrganization({ kind: 'REGISTRY', name: `Gamma Registry ${stamp}` });
    await grantRole(official, alpha, 'SECURITY_OFFICIAL');
    await grantRole(official, beta, 'STAFF_USER');
    await grantRole(official, registry, 'SECURITY_OFFICIAL');
    await signInThroughUi(page, official);

    await page.getByRole('heading', { name: 'Connected Organizations (3)' }).waitFor();
    const tabs = page.getByRole('tablist', { name: 'Kinds of organization' });
    expect(await tabs.getByRole('tab').allTextContents()).toEqual(['APM Entities (0)', 'Registries (1)', 'Virtual Groups (0)', 'Practices (2)']);
    expect(await tabs.getByRole('tab', { name: 'Practices (2)' }).getAttribute('aria-selected')).toBe('true');

    const cards = page.getByTestId('organization-card');
    await cards.nth(1).waitFor();
    const alphaCard = cards.filter({ hasText: alpha.name });
    const alphaText = await alphaCard.textContent();
    expect(alphaText).toContain(`TIN: ${alpha.identifier}`);
    expect(alphaText).toContain('1 Test St., Testville, OH 01234');
    expect(alphaText).toContain('Security Official');
    expect(alphaText).toContain('CMS Web Interface');
    expect(alphaText).toContain('1 connected user');
    expect(await alphaCard.getByRole('link', { name: 'View users' }).getAttribute('href')).toBe(`/organizations/${alpha.id}/users`);
    // A Staff User sees the organization but not its users.
    expect(await cards.filter({ hasText: beta.name }).getByRole('link', { name: 'View users' }).count()).toBe(0);

    // Keyboard: arrow keys move between the tabs.
    await tabs.getByRole('tab', { name: 'Practices (2)' }).focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await tabs.getByRole('tab', { name: 'Registries (1)' }).getAttribute('aria-selected')).toBe('true');
    await cards.filter({ hasText: registry.name }).waitFor();
    await tabs.getByRole('tab', { name: 'Practices (2)' }).click();

    await page.getByLabel('Filter by organization name').fill(`Beta Medical ${stamp}`);
    await page.getByRole('heading', { name: 'Connected Organizations (1)' }).waitFor();
    expect(await cards.allTextContents()).toEqual([expect.stringContaining(beta.name)]);
    expect(await tabs.getByRole('tab').allTextContents()).toEqual(['APM Entities (0)', 'Registries (0)', 'Virtual Groups (0)', 'Practices (1)']);

    await page.getByLabel('Filter by organization name').fill('');
    await page.getByRole('heading', { name: 'Connected Organizations (3)' }).waitFor();
  });

  it('tells a requester who can approve, or that the Quality Payment Program will, and lets them withdraw', async () => {
    const staffed = await createOrganization({ name: `Greenville ${Date.now().toString(36)}` });
    const orphan = await createOrganization({ name: `Orphan ${Date.now().toString(36)}` });
    const kelly = await createUser({ displayName: 'Kelly Approver' });
    const liz = await createUser({ displayName: 'Liz Approver' });
    await grantRole(kelly, staffed, 'SECURITY_OFFICIAL');
    await grantRole(liz, staffed, 'SECURITY_OFFICIAL');
    const requester = await createUser();
    const api = await signInApiBeforeBrowser(requester);
    const toStaffed = await api.post('/api/v1/role-requests', { organizationId: staffed.id, role: 'SECURITY_OFFICIAL' });
    const toOrphan = await api.post('/api/v1/role-requests', { organizationId: orphan.id, role: 'STAFF_USER' });
    expect([toStaffed.status, toOrphan.status]).toEqual([201, 201]);

    await signInThroughUi(page, requester);
    const mine = page.getByRole('region', { name: /Your Requests/ });
    await mine.getByRole('heading', { name: 'Your Requests (2)' }).waitFor();
    const staffedRow = mine.getByTestId('my-request').filter({ hasText: staffed.name });
    const staffedText = await staffedRow.textContent();
    expect(staffedText).toContain('Security Official');
    expect(staffedText).toContain('Waiting for approval from the current Security Official(s)');
    expect(staffedText).toMatch(/Kelly Approver, Liz Approver|Liz Approver, Kelly Approver/);
    // When the approvers will next be reminded (issue 19), as the request's workflow computed it from the program calendar.
    expect(toStaffed.body.nextReminderAt).toEqual(expect.any(String));
    const remindAt = new Date(toStaffed.body.nextReminderAt).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
    expect(staffedText).toContain(`They will be reminded ${remindAt}.`);
    expect(await mine.getByTestId('my-request').filter({ hasText: orphan.name }).textContent()).toContain('Waiting for approval from the Quality Payment Program');

    await staffedRow.getByRole('button', { name: 'Withdraw request' }).click();
    const dialog = page.getByRole('dialog', { name: 'Withdraw your request?' });
    await dialog.getByRole('button', { name: 'Yes, Withdraw Request' }).click();
    await page.getByTestId('toast').filter({ hasText: `You withdrew your request for the Security Official role at ${staffed.name}.` }).waitFor();
    await staffedRow.waitFor({ state: 'detached' });
    await mine.getByRole('heading', { name: 'Your Requests (1)' }).waitFor();
    expect(await statusOf(toStaffed.body.id)).toMatchObject({ status: 'WITHDRAWN' });
    expect(await statusOf(toOrphan.body.id)).toMatchObject({ status: 'PENDING' });
  });
  it('edits CMS Web Interface / CAHPS registration in the window, and shows the API’s refusal outside it', async () => {
    const org = await createOrganization();
    const official = await createUser();
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    // The window is configuration (default April 1 - June 30): ask the API whether it is open today.
    const api = await signInApiBeforeBrowser(official);
    const registration = (await api.get('/api/v1/manage-access')).body.connectedOrganizations.PRACTICE[0].registration;
    await signInThroughUi(page, official);

    const card = page.getByTestId('organization-card').filter({ hasText: org.name });
    await card.getByRole('button', { name: 'Edit registration' }).click();
    const dialog = page.getByRole('dialog', { name: `Edit registration: ${org.name}` });
    expect(await dialog.textContent()).toContain('Registration is available only during the registration period');
    await dialog.getByLabel('CMS Web Interface').check();
    await dialog.getByRole('button', { name: 'Save registration' }).click();

    const cmsWebInterface = async () =>
      (await query<{ cms_web_interface: boolean }>(testStack().databaseUrl, 'SELECT cms_web_interface FROM organizations WHERE id = $1', [org.id]))[0]?.cms_web_interface;
    if (registration.editable) {
      await page.getByTestId('toast').filter({ hasText: `Registration of ${org.name} saved.` }).waitFor();
      await card.getByText('(registered)').first().waitFor();
      expect(await cmsWebInterface()).toBe(true);
    } else {
      const alert = dialog.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/^Registration can be edited only during the registration period/);
      expect(await cmsWebInterface()).toBe(false);
    }
  });
});
