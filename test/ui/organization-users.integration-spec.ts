// An organization's users in a real browser (seed 000, "Removal of User Access"; rules 9-10):
// View users, its pending requests, Remove Access with "Yes, Remove Access" / "No, Cancel Action",
// then back to Connected Organizations with a confirmation in the lower right corner.
import type { Page } from 'playwright-core';
import { query } from '@am/devstack';
import { testStack } from '../setup/stack';
import { signIn } from '../support/api';
import { createOrganization, createUser, grantRole } from '../support/factories';
import { chromiumForFile, signInThroughUi } from './browser';

const ui = chromiumForFile();
let page: Page;
beforeEach(async () => {
  page = await ui.open();
});

const roleOf = async (userId: string, orgId: string) =>
  (await query<{ role: string }>(testStack().databaseUrl, 'SELECT role FROM role_assignments WHERE user_id = $1 AND organization_id = $2', [userId, orgId]))[0]?.role;

async function organizationWithUsers() {
  const org = await createOrganization();
  const official = await createUser({ displayName: 'Florian Official' });
  const staff = await createUser({ displayName: 'Marty Staff' });
  await grantRole(official, org, 'SECURITY_OFFICIAL');
  await grantRole(staff, org, 'STAFF_USER');
  return { org, official, staff };
}

async function openUsers(org: { name: string }) {
  await page.getByTestId('organization-card').filter({ hasText: org.name }).getByRole('link', { name: 'View users' }).click();
  await page.getByRole('heading', { level: 1, name: org.name }).waitFor();
}

describe('web UI: an organization’s users', () => {
  it('lists pending requests and connected users with roles, and no Remove Access for oneself', async () => {
    const { org, official, staff } = await organizationWithUsers();
    const requester = await createUser({ displayName: 'Paula Pending' });
    expect((await (await signIn(requester)).post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' })).status).toBe(201);
    await signInThroughUi(page, official);
    await openUsers(org);

    expect(new URL(page.url()).pathname).toBe(`/organizations/${org.id}/users`);
    expect(await page.getByText(`TIN: ${org.identifier}`).count()).toBe(1);
    await page.getByRole('heading', { name: 'Pending Requests (1)' }).waitFor();
    expect(await page.getByTestId('pending-request').textContent()).toContain('Paula Pending');
    await page.getByRole('heading', { name: 'Connected Users (2)' }).waitFor();
    const me = page.getByTestId('connected-user').filter({ hasText: 'Florian Official' });
    const them = page.getByTestId('connected-user').filter({ hasText: 'Marty Staff' });
    expect(await me.textContent()).toContain('Security Official');
    expect(await me.getByRole('button', { name: /Remove Access/ }).count()).toBe(0);
    expect(await them.textContent()).toContain(staff.email);
    expect(await them.textContent()).toContain('Staff User');

    // Approving here works as on Manage Access, and the new user joins the list.
    await page.getByTestId('pending-request').getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('heading', { name: 'Connected Users (3)' }).waitFor();
    await page.getByRole('heading', { name: 'Pending Requests (0)' }).waitFor();
    expect(await roleOf(requester.id, org.id)).toBe('STAFF_USER');
  });

  it('cancels a removal with "No, Cancel Action": nothing changes', async () => {
    const { org, official, staff } = await organizationWithUsers();
    await signInThroughUi(page, official);
    await openUsers(org);

    const row = page.getByTestId('connected-user').filter({ hasText: 'Marty Staff' });
    await row.getByRole('button', { name: /Remove Access/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove this user’s access?' });
    expect(await dialog.textContent()).toContain(`Marty Staff (Staff User) will no longer have access to ${org.name}`);
    await dialog.getByRole('button', { name: 'No, Cancel Action' }).click();
    await dialog.waitFor({ state: 'detached' });

    expect(new URL(page.url()).pathname).toBe(`/organizations/${org.id}/users`);
    expect(await row.count()).toBe(1);
    expect(await roleOf(staff.id, org.id)).toBe('STAFF_USER');
  });

  it('removes access after "Yes, Remove Access", then returns to Connected Organizations with a confirmation', async () => {
    const { org, official, staff } = await organizationWithUsers();
    await signInThroughUi(page, official);
    await page.getByTestId('organization-card').filter({ hasText: org.name }).filter({ hasText: '2 connected users' }).waitFor();
    await openUsers(org);

    await page.getByTestId('connected-user').filter({ hasText: 'Marty Staff' }).getByRole('button', { name: /Remove Access/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, Remove Access' }).click();

    const toast = page.getByTestId('toast').filter({ hasText: `Marty Staff's access to ${org.name} has been removed.` });
    await toast.waitFor();
    expect(new URL(page.url()).pathname).toBe('/manage-access');
    await page.getByRole('heading', { name: /Connected Organizations/ }).waitFor();
    await page.getByTestId('organization-card').filter({ hasText: org.name }).filter({ hasText: '1 connected user' }).waitFor();
    // In the lower right corner of the window, inside a polite live region.
    const box = await toast.boundingBox();
    const viewport = page.viewportSize()!;
    expect(box!.x + box!.width).toBeGreaterThan(viewport.width * 0.6);
    expect(box!.y + box!.height).toBeGreaterThan(viewport.height * 0.6);
    expect(await page.locator('.toasts').getAttribute('aria-live')).toBe('polite');
    expect(await roleOf(staff.id, org.id)).toBeUndefined();
  });

  it('works at phone width: the same removal, one column', async () => {
    page = await ui.open({ width: 375, height: 740 });
    const { org, official, staff } = await organizationWithUsers();
    await signInThroughUi(page, official);
    await openUsers(org);
    // No horizontal scrolling at 375 px.
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.getByTestId('connected-user').filter({ hasText: 'Marty Staff' }).getByRole('button', { name: /Remove Access/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, Remove Access' }).click();
    await page.getByTestId('toast').filter({ hasText: 'has been removed' }).waitFor();
    expect(await roleOf(staff.id, org.id)).toBeUndefined();
  });
});
