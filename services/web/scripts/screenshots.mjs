#!/usr/bin/env node
// Takes the README's screenshots of the web UI (docs/screenshots/*.png) with Debian's Chromium
// through playwright-core, against a running `npm start` (demo data, PRODUCT.md section 6):
//   npm start   # in another terminal
//   npm run screenshots -w @am/web            # or GATEWAY_URL=http://127.0.0.1:3000 node services/web/scripts/screenshots.mjs
// Nothing is approved, denied or removed (dialogs are opened and cancelled); the one request it
// submits, for the help desk's view, is withdrawn at the end.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { totpCode } from '@am/devstack';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const out = join(root, 'docs', 'screenshots');
const baseURL = process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000';
const DEMO_PASSWORD = 'Demo#2026!access';
const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXP';
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function session(loginId, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ baseURL, viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  if (loginId) {
    await page.goto('/sign-in');
    await page.getByLabel('User ID').fill(loginId);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByLabel('Yes, I agree.').check();
    await page.getByRole('button', { name: 'Sign In' }).click();
    await page.getByLabel('Security code').fill(totpCode(DEMO_TOTP_SECRET));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { level: 1, name: 'Manage Access' }).waitFor();
    await page.getByRole('heading', { name: /^Pending Requests \(\d+\)$/ }).waitFor();
  }
  return { context, page };
}
const shot = async (page, name, fullPage = true) => {
  await page.screenshot({ path: join(out, `${name}.png`), fullPage, animations: 'disabled' });
  console.log(`docs/screenshots/${name}.png`);
};

try {
  {
    const { context, page } = await session(null);
    await page.goto('/sign-in');
    await page.getByRole('heading', { name: 'Sign in to QPP' }).waitFor();
    await shot(page, 'sign-in');
    await context.close();
  }
  {
    // Elizabeth Blackwell: Thomas Miller's request to decide, her own request waiting at Greenville.
    const { context, page } = await session('elizabeth.blackwell');
    await page.getByTestId('my-request').waitFor();
    await page.getByTestId('organization-card').first().waitFor();
    await shot(page, 'manage-access');
    await page.getByTestId('pending-request').first().getByRole('button', { name: 'Deny' }).click();
    await page.getByRole('dialog').waitFor();
    await shot(page, 'deny-dialog', false);
    await page.getByRole('button', { name: 'No, Cancel Action' }).click();
    await context.close();
  }
  {
    // Florian Parker: Davis Inc's users, the removal confirmation, the audit log.
    const { context, page } = await session('florian.parker');
    await page.getByTestId('organization-card').first().waitFor();
    await page.getByLabel('Filter by organization name').fill('Davis');
    await page.getByRole('heading', { name: 'Connected Organizations (1)' }).waitFor();
    await shot(page, 'connected-organizations-filtered');
    await page.getByTestId('organization-card').filter({ hasText: 'Davis Inc' }).getByRole('link', { name: 'View users' }).click();
    await page.getByRole('heading', { name: /^Connected Users/ }).waitFor();
    await page.getByTestId('connected-user').first().waitFor();
    await shot(page, 'organization-users');
    await page.getByTestId('connected-user').filter({ hasText: 'Aurelie Farrell' }).getByRole('button', { name: /Remove Access/ }).click();
    await page.getByRole('dialog').waitFor();
    await shot(page, 'remove-access-dialog', false);
    await page.getByRole('button', { name: 'No, Cancel Action' }).click();
    await context.close();
  }
  {
    // Laura Fortran asks Orphan Family Practice (no Security Official) for a role: the help desk decides.
    const laura = await session('laura.fortran');
    const page = laura.page;
    await page.getByRole('link', { name: 'Connect to another organization' }).first().click();
    await page.getByLabel('Organization name or identifier').fill('Orphan');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('radio', { name: /Orphan Family Practice/ }).waitFor();
    await page.getByRole('radio', { name: 'Staff User' }).check();
    await page.getByLabel('Why do you need this role? (optional)').fill('I help Orphan Family Practice report its quality data.');
    await shot(page, 'connect');
    await page.getByRole('button', { name: 'Submit request' }).click();
    await page.getByRole('heading', { name: 'Your request has been submitted' }).waitFor();
    await shot(page, 'connect-submitted', false);

    const helpDesk = await session('qpp.helpdesk');
    await helpDesk.page.getByTestId('pending-request').filter({ hasText: 'Laura Fortran' }).waitFor();
    await shot(helpDesk.page, 'help-desk');

    await page.getByRole('link', { name: 'Back to Manage Access' }).click();
    await page.getByTestId('my-request').filter({ hasText: 'Orphan Family Practice' }).getByRole('button', { name: 'Withdraw request' }).click();
    await page.getByRole('button', { name: 'Yes, Withdraw Request' }).click();
    await page.getByTestId('toast').waitFor();
    await page.getByTestId('my-request').filter({ hasText: 'Orphan Family Practice' }).waitFor({ state: 'detached' });
    await shot(page, 'withdrawn-toast', false);
    await laura.context.close();

    // The help desk's audit log now holds the request's submission and withdrawal.
    await helpDesk.page.getByRole('link', { name: 'Audit log' }).click();
    await helpDesk.page.getByRole('cell', { name: 'role-request.withdrawn' }).first().waitFor();
    await shot(helpDesk.page, 'audit-log', false);
    await helpDesk.context.close();
  }
  {
    const { context, page } = await session('kelly.dunn', { width: 375, height: 812 });
    await page.getByTestId('organization-card').first().waitFor();
    await shot(page, 'phone-manage-access');
    await context.close();
  }
} finally {
  await browser.close();
}
