#!/usr/bin/env node
// Takes the README's screenshots of the web UI (docs/screenshots/*.png) with Debian's Chromium
// through playwright-core, against a running `npm start` (demo data, PRODUCT.md section 6):
//   npm start   # in another terminal
//   npm run screenshots -w @am/web            # or GATEWAY_URL=http://127.0.0.1:3000 node services/web/scripts/screenshots.mjs
// Nothing is approved, denied or removed (dialogs are opened and cancelled); the one request it
// submits, for the help desk's view, is withdrawn at the end. It registers one new account
// (`jane.<random>`) through the screens, reading its verification email from MailDev
// (MAIL_WEB_URL, default http://127.0.0.1:1080), for the account screens.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { totpCode } from '@am/devstack';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const out = join(root, 'docs', 'screenshots');
const baseURL = process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000';
const mailURL = process.env.MAIL_WEB_URL ?? 'http://127.0.0.1:1080';
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
/** The path and fragment of the link in the newest email with this subject to this address, from MailDev. */
async function emailedLink(to, subject) {
  for (let i = 0; i < 150; i++) {
    const mails = await (await fetch(`${mailURL}/api/email`)).json();
    const mail = mails.reverse().find((m) => m.subject === subject && m.to.some((t) => t.address === to));
    const link = mail && /https?:\/\/\S+#token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
    if (link) return new URL(link).pathname + new URL(link).hash;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no email "${subject}" to ${to} at ${mailURL}`);
}
const shot = async (page, name, fullPage = true) => {
  await page.screenshot({ path: join(out, `${name}.png`), fullPage, animations: 'disabled' });
  console.log(`docs/screenshots/${name}.png`);
};

const suffix = randomBytes(3).toString('hex');
const jane = { loginId: `jane.${suffix}`, displayName: 'Jane Registrant', email: `jane.${suffix}@example.org`, password: 'violet tractor sings at noon' };
try {
  {
    const { context, page } = await session(null);
    await page.goto('/sign-in');
    await page.getByRole('heading', { name: 'Sign in to QPP' }).waitFor();
    await shot(page, 'sign-in');
    await context.close();
  }
  {
    // A new person: registers (a refused try first), verifies the address by the emailed link, sets up two-factor.
    const { context, page } = await session(null);
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Register' }).first().click();
    await page.getByLabel('User ID').fill('Jane Doe');
    await page.getByLabel('Full name').fill(jane.displayName);
    await page.getByLabel('Email address').fill(jane.email);
    await page.getByLabel('Password', { exact: true }).fill('jane doe 2026');
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page.getByText('There is a problem').waitFor();
    await shot(page, 'register-refused');
    await page.getByLabel('User ID').fill(jane.loginId);
    await page.getByLabel('Password', { exact: true }).fill(jane.password);
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await shot(page, 'register-check-email', false);
    await page.goto(await emailedLink(jane.email, 'Verify your email address for Access Manager'));
    await page.getByRole('heading', { name: 'Your email address is verified' }).waitFor();
    await shot(page, 'verify-email', false);

    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('User ID').fill(jane.loginId);
    await page.getByLabel('Password', { exact: true }).fill(jane.password);
    await page.getByLabel('Yes, I agree.').check();
    await page.getByRole('button', { name: 'Sign In' }).click();
    await page.getByRole('heading', { name: 'Set up two-factor authentication' }).waitFor();
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s+/g, '');
    await page.getByLabel('Security code').fill(totpCode(secret));
    await shot(page, 'two-factor-setup');
    await page.getByRole('button', { name: 'Verify and finish setup' }).click();
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    await page.getByLabel('I have saved my recovery codes somewhere safe.').check();
    await shot(page, 'recovery-codes');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Manage Access' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();

    await page.getByLabel('User ID').fill(jane.loginId);
    await page.getByLabel('Password', { exact: true }).fill(jane.password);
    await page.getByLabel('Yes, I agree.').check();
    await page.getByRole('button', { name: 'Sign In' }).click();
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill('7K3M-Q9XD-2HVT-B6RA');
    for (const dismiss of await page.getByRole('button', { name: 'Dismiss' }).all()) await dismiss.click();
    await shot(page, 'sign-in-recovery-code', false);

    // Recovery: forgot password -> the emailed link -> a new password.
    await page.getByRole('button', { name: 'Start over' }).click();
    await page.getByRole('link', { name: 'Forgot user ID or password' }).click();
    await page.getByRole('heading', { name: 'Forgot user ID or password' }).waitFor();
    await shot(page, 'forgot', false);
    await page.getByRole('link', { name: 'I forgot my password' }).click();
    await page.getByLabel('User ID').fill(jane.loginId);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await page.goto(await emailedLink(jane.email, 'Reset your Access Manager password'));
    await page.getByLabel('New password').fill(jane.password + ' again');
    await page.getByRole('button', { name: 'Show password' }).click();
    await shot(page, 'reset-password', false);
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

    // The help desk's Accounts: the account registered above, and the disable dialog (cancelled).
    for (const dismiss of await helpDesk.page.getByRole('button', { name: 'Dismiss' }).all()) await dismiss.click();
    await helpDesk.page.getByRole('link', { name: 'Accounts' }).click();
    await helpDesk.page.getByLabel('User ID').fill(jane.loginId);
    await helpDesk.page.getByRole('button', { name: 'Find account' }).click();
    await helpDesk.page.getByTestId('account').waitFor();
    await shot(helpDesk.page, 'help-desk-accounts', false);
    await helpDesk.page.getByRole('button', { name: 'Disable account' }).click();
    await helpDesk.page.getByLabel('Reason (recorded in the audit log)').fill('Left the practice (ticket 4711)');
    await shot(helpDesk.page, 'disable-account-dialog', false);
    await helpDesk.page.getByRole('button', { name: 'No, Cancel Action' }).click();
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
