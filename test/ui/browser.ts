// Drives Chromium through playwright-core against the test stack's gateway, which serves the web
// UI's build. One browser per test file; a fresh context per test. The browser is the one `npm test`
// found or installed (it passes CHROMIUM_PATH); run alone, jest looks the same way (findChromium:
// CHROMIUM_PATH, the usual install paths, Playwright's browser cache).
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { findChromium, totpCode } from '@am/devstack';
import { testStack } from '../setup/stack';
import { signInFresh, type Api } from '../support/api';
import { checkBrowserAnswer } from '../support/openapi-contract-hook';
import type { NewAccount } from '../support/accounts';
import { TEST_PASSWORD, TEST_TOTP_SECRET, type TestUser } from '../support/factories';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Launches Chromium (Playwright gives each launch a fresh temporary user-data dir). */
function launchBrowser(): Promise<Browser> {
  const found = findChromium();
  if (!found) {
    throw new Error('No Chromium found (CHROMIUM_PATH, the usual install paths, Playwright’s browser cache): run `npm test`, which installs one where it can, or `apt-get install chromium`, or set CHROMIUM_PATH.');
  }
  return chromium.launch({ executablePath: found.path, headless: true, args: ARGS });
}

/** A new, isolated context (its own sessionStorage) with a page on the web UI. */
async function openPage(browser: Browser, o: { width?: number; height?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: testStack().gatewayUrl, viewport: { width: o.width ?? 1280, height: o.height ?? 900 }, acceptDownloads: true });
  context.setDefaultTimeout(30_000);
  // What the web UI receives from the API is held to the OpenAPI document too (issue 16).
  context.on('response', (response) => void checkBrowserAnswer(response));
  const page = await context.newPage();
  return { context, page };
}

/**
 * Registers the test file's hooks: one Chromium for the file, closed after it; the page that
 * `open()` gives lives in its own context, closed after each test (or by the next `open()`).
 */
export function chromiumForFile(): { open(size?: { width?: number; height?: number }): Promise<Page> } {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });
  return {
    async open(size) {
      await context?.close();
      let page: Page;
      ({ context, page } = await openPage(browser!, size));
      return page;
    },
  };
}

/** Signs in through the sign-in screens as a person does: password, Statement of Truth, then the TOTP code. */
export async function signInThroughUi(page: Page, user: TestUser, code = totpCode(TEST_TOTP_SECRET)): Promise<void> {
  await page.goto('/');
  await page.getByLabel('User ID').fill(user.loginId);
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await page.getByLabel('Yes, I agree.').check();
  await page.getByRole('button', { name: 'Sign In' }).click();
  await page.getByLabel('Security code').fill(code);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { level: 1, name: 'Manage Access' }).waitFor();
}

/** Fills and sends the registration form, and waits for "Check your email". */
export async function registerThroughUi(page: Page, a: NewAccount): Promise<void> {
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Register' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Register for an account' }).waitFor();
  await page.getByLabel('User ID').fill(a.loginId);
  await page.getByLabel('Full name').fill(a.displayName);
  await page.getByLabel('Email address').fill(a.email);
  await page.getByLabel('Password', { exact: true }).fill(a.password);
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
}

/** The password step of sign-in (user id, password, Statement of Truth), as a person does it. */
export async function passwordStep(page: Page, loginId: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('User ID').fill(loginId);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Yes, I agree.').check();
  await page.getByRole('button', { name: 'Sign In' }).click();
}

/** The TOTP secret the enrollment screen shows for typing by hand (grouped by four), as one string. */
export async function shownSecret(page: Page): Promise<string> {
  return ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s+/g, '');
}

/**
 * An API session for a user who will also sign in through the browser in the same test: a TOTP
 * code is accepted once per 30-second step, so this one uses the previous step's code (accepted
 * within the one-step clock-drift window) and leaves the current step for the browser.
 */
export function signInApiBeforeBrowser(user: TestUser): Promise<Api> {
  return signInFresh(user, undefined, () => totpCode(TEST_TOTP_SECRET, Date.now() - 30_000));
}

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[] }[];
}
/** Runs axe-core's WCAG 2.1 A and AA rules on the page and returns what it found. */
export async function violations(p: Page): Promise<{ id: string; help: string; targets: string[] }[]> {
  // Evaluated through the DevTools protocol, not as an inline <script>: the page's CSP allows none.
  await p.evaluate(axe.source);
  const found = await p.evaluate<AxeViolation[]>(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations)`,
  );
  return found.map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}
