// Automated WCAG 2.1 A/AA checks (axe-core, in the page) of every screen, at desktop and phone
// width, plus keyboard use: the skip link, focus into dialogs and back.
import type { Page } from 'playwright-core';
import { totpCode } from '@am/devstack';
import { signIn } from '../support/api';
import { emailTo, linkPath, newAccount } from '../support/accounts';
import { createOrganization, createUser, grantRole } from '../support/factories';
import { WebhookReceiver } from '../support/webhook-receiver';
import { chromiumForFile, passwordStep, registerThroughUi, shownSecret, signInThroughUi, violations } from './browser';

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

describe.each([
  ['desktop', 1280, 900],
  ['phone', 375, 740],
])('web UI accessibility of the account screens at %s width', (_name, width, height) => {
  it('has no WCAG 2.1 AA violations on register, verify email, recovery, reset password, two-factor setup, recovery codes and the help desk’s accounts', async () => {
    page = await ui.open({ width, height });
    const a = newAccount();
    const axeOn = async (what: string) => expect({ what, found: await violations(page) }).toEqual({ what, found: [] });

    await page.goto('/register');
    await page.getByRole('heading', { name: 'Register for an account' }).waitFor();
    await axeOn('register');
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page.getByText('There is a problem').waitFor();
    await axeOn('register, refused');
    await registerThroughUi(page, a);
    await axeOn('check your email');

    await page.goto('/verify-email#token=' + 'x'.repeat(43));
    await page.getByRole('heading', { name: 'This link is not valid' }).waitFor();
    await axeOn('verify email, refused');
    await page.goto(linkPath(await emailTo(a.email, 'Verify your email address for Access Manager')));
    await page.getByRole('heading', { name: 'Your email address is verified' }).waitFor();
    await axeOn('verify email, verified');

    for (const [path, heading] of [
      ['/forgot', 'Forgot user ID or password'],
      ['/forgot-user-id', 'Forgot your user ID?'],
      ['/forgot-password', 'Forgot your password?'],
    ]) {
      await page.goto(path!);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await axeOn(path!);
    }
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Enter your user ID.').first().waitFor();
    await axeOn('forgot password, refused');
    await page.getByLabel('User ID').fill(a.loginId);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await axeOn('forgot password, sent');

    await page.goto('/reset-password#token=' + 'x'.repeat(43));
    await page.getByRole('heading', { name: 'Set a new password' }).waitFor();
    await axeOn('reset password');
    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.locator('#password-error').waitFor();
    await axeOn('reset password, refused');
    await page.getByLabel('New password').fill('a long enough passphrase here');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('heading', { name: 'This link is not valid' }).waitFor();
    await axeOn('reset password, link refused');

    await passwordStep(page, a.loginId, a.password);
    await page.getByRole('heading', { name: 'Set up two-factor authentication' }).waitFor();
    await axeOn('two-factor setup');
    const secret = await shownSecret(page);
    await page.getByLabel('Security code').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Verify and finish setup' }).click();
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alert').waitFor();
    await axeOn('recovery codes');
    await page.getByLabel('I have saved my recovery codes somewhere safe.').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Manage Access' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await passwordStep(page, a.loginId, a.password);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').waitFor();
    await axeOn('recovery code step');

    const helpDesk = await createUser({ platformRole: 'HELP_DESK' });
    page = await ui.open({ width, height });
    await signInThroughUi(page, helpDesk);
    await page.goto(`/accounts?userId=${a.loginId}`);
    await page.getByTestId('account').waitFor();
    await axeOn('accounts');
    await page.getByRole('button', { name: 'Disable account' }).click();
    await page.getByRole('dialog').waitFor();
    await page.getByRole('button', { name: 'Yes, Disable Account' }).click();
    await page.getByRole('dialog').getByRole('alert').waitFor();
    await axeOn('disable dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });
});

describe.each([
  ['desktop', 1280, 900],
  ['phone', 375, 740],
])('web UI accessibility of the help desk’s webhooks at %s width', (_name, width, height) => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver?.stop();
  });

  it('has no WCAG 2.1 AA violations on the webhooks list, Add endpoint (refused, then its secret), an endpoint with its deliveries, and its dialogs', async () => {
    page = await ui.open({ width, height });
    const axeOn = async (what: string) => expect({ what, found: await violations(page) }).toEqual({ what, found: [] });
    // One organization's events only (and only a ping is sent), so no other test's events reach the receiver.
    const org = await createOrganization();
    const helpDesk = await createUser({ platformRole: 'HELP_DESK' });
    await signInThroughUi(page, helpDesk);
    await page.goto('/webhooks');
    await page.getByRole('heading', { level: 2, name: /^Endpoints/ }).waitFor();
    await page.getByText(/Loading…/).first().waitFor({ state: 'detached' });
    await axeOn('webhooks');
    const form = page.getByRole('region', { name: 'Add endpoint' });
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByText('There is a problem').waitFor();
    await axeOn('add endpoint, refused');

    await form.getByLabel('Endpoint URL').fill(receiver.url(`/a11y-${width}`));
    await form.getByRole('checkbox', { name: 'role-request.submitted' }).check();
    await form.getByRole('radio', { name: 'One organization' }).check();
    await form.getByLabel('Organization name or identifier').fill(org.identifier);
    await form.getByRole('button', { name: 'Find' }).click();
    await form.getByRole('radio', { name: new RegExp(org.name) }).waitFor();
    await axeOn('add endpoint, organization found');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const panel = page.getByRole('region', { name: 'Endpoint added: its signing secret' });
    await panel.waitFor();
    await axeOn('secret shown once');

    await panel.getByRole('link', { name: 'Open this endpoint' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhook endpoint' }).waitFor();
    await page.getByRole('button', { name: 'Send test ping' }).click();
    await page.getByTestId('delivery-row').and(page.locator('[data-status="DELIVERED"]')).waitFor();
    await axeOn('endpoint with its deliveries');
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('dialog').waitFor();
    await axeOn('rotate dialog');
    await page.getByRole('button', { name: 'Yes, Rotate Secret' }).click();
    await page.getByRole('region', { name: 'New signing secret' }).waitFor();
    await axeOn('rotated secret');
    await page.getByRole('button', { name: 'Delete endpoint' }).click();
    await page.getByRole('dialog').waitFor();
    await axeOn('delete dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
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
