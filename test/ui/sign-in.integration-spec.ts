// Sign-in through the browser (PRODUCT.md rule 12, seed 001): user id, password with "Show
// password", the Statement of Truth, then the TOTP code; the federal notice and the support
// contact on the page; sign-out ends the session.
import type { Page } from 'playwright-core';
import { STATEMENT_OF_TRUTH } from '@am/contracts';
import { testStack } from '../setup/stack';
import { createUser } from '../support/factories';
import { chromiumForFile, signInThroughUi } from './browser';

const ui = chromiumForFile();
let page: Page;
beforeEach(async () => {
  page = await ui.open();
});

describe('web UI: sign in', () => {
  it('shows the sign-in page with the Statement of Truth, the federal notice and the support contact', async () => {
    const res = await page.goto('/manage-access');
    expect(res?.status()).toBe(200);
    // Not signed in: the app sends the visitor to sign in first.
    await page.getByRole('heading', { level: 1, name: 'Sign in to QPP' }).waitFor();
    expect(page.url()).toMatch(/\/sign-in\?next=%2Fmanage-access$/);
    expect(await page.getByRole('group', { name: 'Statement of Truth' }).textContent()).toContain(STATEMENT_OF_TRUTH.text);
    expect(await page.getByRole('region', { name: 'Federal system notice' }).textContent()).toContain(
      'you are attempting to access a United States Federal Government information system',
    );
    const footer = await page.getByRole('contentinfo').textContent();
    expect(footer).toContain('Have questions? Contact the Quality Payment Program');
    expect(footer).toContain('1-866-288-8292 (TTY: 1-877-715-6222)');
    expect(footer).toContain('QPP@cms.hhs.gov');

    const password = page.getByLabel('Password', { exact: true });
    await password.fill('secret');
    expect(await password.getAttribute('type')).toBe('password');
    await page.getByRole('button', { name: 'Show password' }).click();
    expect(await password.getAttribute('type')).toBe('text');
    expect(await page.getByRole('button', { name: 'Hide password' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('refuses to go on without the Statement of Truth, and says so without telling which credential was wrong', async () => {
    const user = await createUser();
    await page.goto('/sign-in');
    await page.getByLabel('User ID').fill(user.loginId);
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign In' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('You must agree to the Statement of Truth to sign in.');

    await page.getByLabel('Yes, I agree.').check();
    await page.getByRole('button', { name: 'Sign In' }).click();
    await page.getByRole('alert').filter({ hasText: 'The user id or password is not correct' }).waitFor();
    expect(await page.getByLabel('Security code').count()).toBe(0);
  });

  it('signs in with the password, the Statement of Truth and a TOTP code, then signs out', async () => {
    const user = await createUser({ displayName: 'Ada Browser' });
    await signInThroughUi(page, user);
    expect(new URL(page.url()).pathname).toBe('/manage-access');
    expect(await page.getByRole('banner').textContent()).toContain('Ada Browser');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Manage Access' }).getAttribute('aria-current')).toBe('page');
    // The session is an httpOnly cookie: the page keeps no token a script could steal.
    // (Evaluated in the page: this file is compiled without the DOM's types.)
    const stored = () => page.evaluate<string | null>("sessionStorage.getItem('access-manager.session')");
    expect(JSON.parse((await stored()) ?? '{}')).toMatchObject({ csrfToken: expect.any(String), user: { id: user.id } });
    expect(await page.evaluate<string>('document.cookie')).not.toContain('am_session');
    const sessionCookie = (await page.context().cookies()).find((c) => c.name === 'am_session');
    expect(sessionCookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const cookie = `am_session=${sessionCookie!.value}`;
    expect((await fetch(`${testStack().gatewayUrl}/api/v1/me`, { headers: { cookie } })).status).toBe(200);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to QPP' }).waitFor();
    expect(await stored()).toBeNull();
    // The server ended the session too: its cookie is refused.
    const me = await fetch(`${testStack().gatewayUrl}/api/v1/me`, { headers: { cookie } });
    expect(me.status).toBe(401);
  });

  it('keeps the API and health answering as before next to the UI', async () => {
    const { gatewayUrl } = testStack();
    const health = await fetch(`${gatewayUrl}/health`);
    expect(health.headers.get('content-type')).toMatch(/application\/json/);
    const unknownApi = await fetch(`${gatewayUrl}/api/v1/no-such-thing`);
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.headers.get('content-type')).toMatch(/application\/json/);
    // Client-side routes get the app's page.
    const deepLink = await fetch(`${gatewayUrl}/organizations/123/users`);
    expect(deepLink.status).toBe(200);
    expect(await deepLink.text()).toContain('<div id="root">');
  });
});
