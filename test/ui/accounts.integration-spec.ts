// Issue 10 in a real browser on the real stack: register -> the real verification email -> its
// link -> first sign-in sets up two-factor (the code computed from the secret shown on screen) ->
// the recovery codes, shown once; forgot password -> the emailed link -> a new password; a
// recovery code at sign-in; the help desk disabling an account with a reason.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { query, totpCode } from '@am/devstack';
import { testStack } from '../setup/stack';
import { anonymous, signInFresh } from '../support/api';
import { emailTo, enroll, linkPath, linkToken, newAccount, registerVerified } from '../support/accounts';
import { createUser, TEST_TOTP_SECRET } from '../support/factories';
import { refusal, REVOCATION_BOUND_MS, SCHEDULING_MARGIN_MS } from '../support/sessions';
import { chromiumForFile, passwordStep, registerThroughUi, shownSecret, signInThroughUi } from './browser';

const VERIFY_SUBJECT = 'Verify your email address for Access Manager';
const RESET_SUBJECT = 'Reset your Access Manager password';

const ui = chromiumForFile();
let page: Page;
beforeEach(async () => {
  page = await ui.open();
});

const alertText = async (p: Page) => ((await p.getByRole('alert').first().textContent()) ?? '').trim();

describe('web UI: register, verify the email address, set up two-factor', () => {
  it('takes a new person from the registration form to a signed-in session, through the real email and their authenticator', async () => {
    const a = newAccount();

    // The form states the password policy, checks what it can, and shows the API's refusals by field.
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Register' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Register for an account' }).waitFor();
    const policy = await page.locator('#password-hint').textContent();
    expect(policy).toContain('at least 12 and at most 128 characters');
    expect(policy).toContain('not a commonly used password');
    expect(policy).toContain('not containing your user ID');
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.waitFor();
    expect(await summary.getByRole('link').allTextContents()).toEqual(['Enter a user ID.', 'Enter your name.', 'Enter your email address.', 'Enter a password.']);
    // The summary has focus, and each entry leads to its field.
    await page.waitForFunction("document.activeElement.className === 'error-summary'");
    await summary.getByRole('link', { name: 'Enter a password.' }).click();
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('password');
    expect(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('User ID').fill(a.loginId);
    await page.getByLabel('Full name').fill(a.displayName);
    await page.getByLabel('Email address').fill(a.email);
    await page.getByLabel('Password', { exact: true }).fill('password1234');
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    // Long enough, but the API knows it as a common password.
    await page.locator('#password-error').filter({ hasText: 'This password is commonly used' }).waitFor();

    await page.getByLabel('Password', { exact: true }).fill(a.password);
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
    expect(await page.getByRole('main').textContent()).toContain(`We sent a message to ${a.email}`);

    // Not verified yet: signing in says so, and how to get a new link.
    await passwordStep(page, a.loginId, a.password);
    expect(await alertText(page)).toContain('Your email address is not verified yet');
    expect(await page.getByLabel('Security code').count()).toBe(0);

    // The real email's link: the token travels in the fragment, and leaves the address bar once read.
    const mail = await emailTo(a.email, VERIFY_SUBJECT);
    const link = linkPath(mail);
    expect(link).toMatch(/^\/verify-email#token=/);
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: 'Your email address is verified' }).waitFor();
    expect(await page.getByRole('main').textContent()).toContain(`Your user ID is ${a.loginId}`);
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.evaluate<string>('document.title')).toBe('Verify email address | Access Manager');

    // The link works once.
    page = await ui.open();
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: 'This link was used already' }).waitFor();

    // First sign-in: set up two-factor with the secret on screen (as a person types it into an app).
    await passwordStep(page, a.loginId, a.password);
    await page.getByRole('heading', { name: 'Set up two-factor authentication' }).waitFor();
    await page.waitForFunction("document.activeElement.id === 'enroll-heading'");
    const secret = await shownSecret(page);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const qr = page.getByRole('img', { name: /QR code that adds .* to an authenticator app/ });
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    // (Evaluated in the page: this file is compiled without the DOM's types.)
    expect(await page.evaluate<number>("document.querySelector('img.qr-code').naturalWidth")).toBeGreaterThan(100);
    const uri = await page.getByRole('link', { name: 'Open the setup link in your authenticator app' }).getAttribute('href');
    expect(uri).toMatch(new RegExp(`^otpauth://totp/Access%20Manager:${a.loginId.replace('.', '\\.')}\\?secret=${secret}&`));
    await page.getByText('Show the setup link (otpauth URI)').click();
    expect(await page.getByTestId('otpauth-uri').textContent()).toBe(uri);

    // A wrong code is refused, and the form stays.
    await page.getByLabel('Security code').fill(totpCode(TEST_TOTP_SECRET));
    await page.getByRole('button', { name: 'Verify and finish setup' }).click();
    await page.getByRole('alert').waitFor();
    expect(await alertText(page)).not.toBe('');
    await page.getByLabel('Security code').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Verify and finish setup' }).click();

    // The recovery codes, shown once: saved (downloaded) and acknowledged before going on.
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    const codes = (await page.getByTestId('recovery-codes').getByRole('listitem').allTextContents()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as text' }).click()]);
    expect(download.suggestedFilename()).toBe('access-manager-recovery-codes.txt');
    const saved = await readFile((await download.path())!, 'utf8');
    for (const c of codes) expect(saved).toContain(c);
    expect(saved).toContain(a.loginId);

    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await alertText(page)).toBe('Confirm that you saved your recovery codes: they are not shown again.');
    expect(await page.getByRole('heading', { level: 1, name: 'Manage Access' }).count()).toBe(0);
    await page.getByLabel('I have saved my recovery codes somewhere safe.').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Manage Access' }).waitFor();
    expect(await page.getByRole('banner').textContent()).toContain(a.displayName);

    // The codes work: one of them signs in through the API.
    const mfa = await anonymous.post('/api/v1/auth/sign-in', { userId: a.loginId, password: a.password, acceptStatementOfTruth: true });
    const recovered = await anonymous.post('/api/v1/auth/mfa', { mfaToken: mfa.body.mfaToken, recoveryCode: codes[0] });
    expect(recovered.body.recoveryCodesRemaining).toBe(9);
  });

  it('says why a verification link is refused: not valid, or expired', async () => {
    await page.goto('/verify-email#token=' + 'x'.repeat(43));
    await page.getByRole('heading', { level: 1, name: 'This link is not valid' }).waitFor();
    expect(await page.getByRole('link', { name: 'Register' }).last().getAttribute('href')).toBe('/register');

    const a = newAccount();
    await registerThroughUi(page, a);
    const token = linkToken(await emailTo(a.email, VERIFY_SUBJECT));
    await query(testStack().databaseUrl, `UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM users WHERE login_id = $1)`, [a.loginId]);
    await page.goto(`/verify-email#token=${token}`);
    await page.getByRole('heading', { level: 1, name: 'This link has expired' }).waitFor();
    expect(await page.getByRole('main').textContent()).toContain('register again with the same user ID, email address and password');
  });
});

describe('web UI: recover an account', () => {
  it('resets a forgotten password through the emailed link, then signs in with the new one', async () => {
    const user = await createUser();
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Forgot user ID or password' }).click();
    await page.getByRole('heading', { level: 1, name: 'Forgot user ID or password' }).waitFor();
    await page.getByRole('link', { name: 'I forgot my password' }).click();
    await page.getByLabel('User ID').fill(user.loginId);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
    // The API's answer, the same whether or not the account exists.
    expect(await page.getByRole('main').textContent()).toContain('If this user id belongs to an account that can sign in, a link to reset its password is on its way');

    const link = linkPath(await emailTo(user.email, RESET_SUBJECT));
    expect(link).toMatch(/^\/reset-password#token=/);
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: 'Set a new password' }).waitFor();
    expect(new URL(page.url()).hash).toBe('');
    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.locator('#password-error').filter({ hasText: 'at least 12 characters' }).waitFor();
    const newPassword = 'a fresh passphrase for the browser';
    await page.getByLabel('New password').fill(newPassword);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your password was changed' }).waitFor();
    expect(await page.getByRole('main').textContent()).toContain(`Sign in as ${user.loginId} with your new password`);

    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('User ID').fill(user.loginId);
    await page.getByLabel('Password', { exact: true }).fill(newPassword);
    await page.getByLabel('Yes, I agree.').check();
    await page.getByRole('button', { name: 'Sign In' }).click();
    await page.getByLabel('Security code').fill(totpCode(TEST_TOTP_SECRET));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { level: 1, name: 'Manage Access' }).waitFor();

    // The link worked once.
    const second = await ui.open();
    await second.goto(link);
    await second.getByLabel('New password').fill('yet another long passphrase');
    await second.getByRole('button', { name: 'Set new password' }).click();
    await second.getByRole('heading', { level: 1, name: 'This link was used already' }).waitFor();
    expect(await second.getByRole('link', { name: 'Get a new link' }).getAttribute('href')).toBe('/forgot-password');
  });

  it('emails a forgotten user id', async () => {
    const user = await createUser();
    await page.goto('/forgot');
    await page.getByRole('link', { name: 'I forgot my user ID' }).click();
    await page.getByLabel('Email address').fill('not an address');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('#email-error').filter({ hasText: 'Enter an email address in the right format' }).waitFor();
    await page.getByLabel('Email address').fill(user.email);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('If an account uses this email address, its user id is on its way there.').waitFor();
    const mail = await emailTo(user.email, 'Your Access Manager user id');
    expect(mail.text).toContain(user.loginId);
  });
});

describe('web UI: a recovery code in place of the security code', () => {
  it('signs in once with a recovery code and says how many are left; the same code is refused after', async () => {
    const a = await registerVerified();
    const { recoveryCodes } = await enroll(a);
    await passwordStep(page, a.loginId, a.password);
    await page.getByLabel('Security code').waitFor();
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.waitForFunction("document.activeElement.id === 'recovery-code'");
    expect(await page.getByLabel('Security code').count()).toBe(0);
    await page.getByLabel('Recovery code').fill(recoveryCodes[2]!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { level: 1, name: 'Manage Access' }).waitFor();
    await page.getByTestId('toast').filter({ hasText: 'You signed in with a recovery code, which cannot be used again. You have 9 recovery codes left.' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await passwordStep(page, a.loginId, a.password);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCodes[2]!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('heading', { level: 1, name: 'Manage Access' }).count()).toBe(0);
    // And back to the authenticator's code.
    await page.getByRole('button', { name: 'Use a security code instead' }).click();
    await page.getByLabel('Security code').waitFor();
  });
});

describe('web UI: the help desk’s accounts', () => {
  it('disables an account with a reason (its session ends, its sign-in is refused), enables it, and resets its two-factor', async () => {
    const helpDesk = await createUser({ displayName: 'Service Center Agent', platformRole: 'HELP_DESK' });
    const target = await createUser({ displayName: 'Dana Disabled' });
    const targetSession = await signInFresh(target, undefined, () => totpCode(TEST_TOTP_SECRET, Date.now() - 30_000));
    await signInThroughUi(page, helpDesk);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
    // Its own account: seen, but another member must act on it.
    await page.getByLabel('User ID').fill(helpDesk.loginId);
    await page.getByRole('button', { name: 'Find account' }).click();
    await page.getByText('This is your own account: another member of the help desk must act on it.').waitFor();
    expect(await page.getByRole('button', { name: 'Disable account' }).count()).toBe(0);

    await page.getByLabel('User ID').fill('nobody.at.all');
    await page.getByRole('button', { name: 'Find account' }).click();
    await page.getByRole('alert').filter({ hasText: 'No account has the user ID “nobody.at.all”.' }).waitFor();

    await page.getByLabel('User ID').fill(target.loginId);
    await page.getByRole('button', { name: 'Find account' }).click();
    const card = page.getByTestId('account');
    await card.getByRole('heading', { name: 'Dana Disabled' }).waitFor();
    expect(new URL(page.url()).search).toBe(`?userId=${target.loginId}`);
    expect(await card.textContent()).toContain('Active: can sign in');

    await card.getByRole('button', { name: 'Disable account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Disable this account?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Yes, Disable Account' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Give a reason of 3 to 500 characters' }).waitFor();
    await dialog.getByLabel('Reason (recorded in the audit log)').fill('Left the practice (ticket 5150)');
    const disableAnswer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/api/v1/users/${target.id}/disable`);
    await dialog.getByRole('button', { name: 'Yes, Disable Account' }).click();
    expect((await disableAnswer).status()).toBe(200);
    const disabledAnswered = performance.now();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('toast').filter({ hasText: `You disabled the account ${target.loginId}.` }).waitFor();
    await card.getByText('Disabled', { exact: true }).waitFor();
    expect(await card.textContent()).toMatch(/Disabled since .*: cannot sign in/);

    const [event] = await query<{ actor_id: string; details: { reason: string } }>(
      testStack().databaseUrl,
      `SELECT actor_id, details FROM audit_events WHERE subject_id = $1 AND action = 'account.disabled'`,
      [target.id],
    );
    expect(event).toEqual({ actor_id: helpDesk.id, details: expect.objectContaining({ reason: 'Left the practice (ticket 5150)' }) });
    // Every gateway instance refuses the person's session within 1 s of the disable's answer.
    expect((await refusal(targetSession, disabledAnswered)).ms).toBeLessThanOrEqual(REVOCATION_BOUND_MS + SCHEDULING_MARGIN_MS);

    // The person's own sign-in is refused, plainly.
    const theirs = await ui.open();
    await passwordStep(theirs, target.loginId, 'Test#2026!correct-horse');
    await theirs.getByRole('alert').filter({ hasText: 'This account is disabled, so it cannot sign in.' }).waitFor();
    expect(await theirs.getByLabel('Security code').count()).toBe(0);

    // Back as the help desk: enable it, then reset its two-factor; the next sign-in sets it up anew.
    // (A code works once: the help desk's second sign-in uses the next step's, within the drift window.)
    page = await ui.open();
    await signInThroughUi(page, helpDesk, totpCode(TEST_TOTP_SECRET, Date.now() + 30_000));
    await page.goto(`/accounts?userId=${target.loginId}`);
    await page.getByTestId('account').getByRole('button', { name: 'Enable account' }).click();
    await page.getByRole('dialog').getByLabel('Reason (recorded in the audit log)').fill('Back at the practice (ticket 5151)');
    await page.getByRole('button', { name: 'Yes, Enable Account' }).click();
    await page.getByTestId('toast').filter({ hasText: `You enabled the account ${target.loginId}.` }).waitFor();
    await page.getByTestId('account').getByRole('button', { name: 'Reset two-factor' }).click();
    await page.getByRole('dialog').getByLabel('Reason (recorded in the audit log)').fill('Lost phone; identity confirmed by call back');
    await page.getByRole('button', { name: 'Yes, Reset Two-Factor' }).click();
    await page.getByTestId('toast').filter({ hasText: `You reset the two-factor authentication of ${target.loginId}.` }).waitFor();
    expect(await page.getByTestId('account').textContent()).toContain('Not set up: sets it up at the next sign-in');
    expect(await page.getByTestId('account').getByRole('button', { name: 'Reset two-factor' }).count()).toBe(0);

    const next = await ui.open();
    await passwordStep(next, target.loginId, 'Test#2026!correct-horse');
    await next.getByRole('heading', { name: 'Set up two-factor authentication' }).waitFor();
  });
});
