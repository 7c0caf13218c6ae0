// Automated WCAG 2.1 A/AA checks (axe-core, in the page) of every screen, at desktop and phone
// width, plus keyboard use: the skip link, focus into dialogs and back.
import type { Page } from 'playwright-core';
import { signIn } from '../support/api';
import { createOrganization, createUser, grantRole } from '../support/factories';
import { chromiumForFile, signInThroughUi, violations } from './browser';

const ui = chromiumForFile();
let page: Page;

async function scenario() {
  const org = await createOrganization();
  const official = await createUser();
  await grantRole(official, org, 'SECURITY_OFFICIAL');
  const staff = await createUser();
  await grantRole(staff, org, 'STAFF_USER');
  const requester = await createUser();
  expect((await (await signIn(requester)).post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' })).status).toBe(201);
  return { org, official };
}

describe.each([
  ['desktop', 1280, 900],
  ['phone', 375, 740],
])('web UI accessibility at %s width', (_name, width, height) => {
  it('has no WCAG 2.1 AA violations on sign-in, Manage Access, View users, Connect, Audit and the remove dialog', async () => {
    page = await ui.open({ width, height });
    const { org, official } = await scenario();
    await page.goto('/sign-in');
    await page.getByRole('heading', { name: 'Sign in to QPP' }).waitFor();
    expect(await violations(page)).toEqual([]);

    await signInThroughUi(page, official);
    await page.getByTestId('pending-request').waitFor();
    expect(await violations(page)).toEqual([]);

    await page.getByTestId('organization-card').filter({ hasText: org.name }).getByRole('link', { name: 'View users' }).click();
    await page.getByRole('heading', { name: /Connected Users/ }).waitFor();
    expect(await violations(page)).toEqual([]);
    await page.getByRole('button', { name: /Remove Access/ }).first().click();
    await page.getByRole('dialog').waitFor();
    expect(await violations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await page.goto('/connect');
    await page.getByLabel('Organization name or identifier').fill(org.identifier);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('radio', { name: new RegExp(org.name) }).waitFor();
    expect(await violations(page)).toEqual([]);

    await page.goto('/audit');
    await page.getByRole('table').waitFor();
    expect(await violations(page)).toEqual([]);
  });
});

describe('web UI keyboard use', () => {
  it('reaches the main content by the skip link, and a dialog takes focus, keeps it and gives it back', async () => {
    page = await ui.open();
    const { org, official } = await scenario();
    await signInThroughUi(page, official);
    await page.goto(`/organizations/${org.id}/users`);
    await page.getByRole('heading', { name: /Connected Users/ }).waitFor();

    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('main');

    const remove = page.getByRole('button', { name: /Remove Access/ }).first();
    await remove.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Remove this user’s access?' });
    await dialog.waitFor();
    // Focus is inside the dialog, and Tab keeps it there.
    for (let i = 0; i < 4; i++) {
      expect(await page.evaluate<boolean>(`document.querySelector('dialog[open]').contains(document.activeElement)`)).toBe(true);
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate<string>('document.activeElement.textContent')).toContain('Remove Access');
    // A visible focus indicator: the focused button draws an outline.
    expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
  });
});
