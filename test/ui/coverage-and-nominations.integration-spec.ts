// Approver coverage and nominating a backup Security Official in a real browser (issue 18, parts 1
// and 2): the coverage of each organization, the banner of a Security Official who is their
// organization's only active one (in the guide's words), the help desk's Coverage screen, and a
// nomination sent from the banner, then accepted or declined by the nominee, from the emailed link
// or from Manage Access. Every test makes its own people and organizations.
import type { BrowserContext, Page } from 'playwright-core';
import { query, totpCode } from '@am/devstack';
import { testStack } from '../setup/stack';
import { mailbox, signIn } from '../support/api';
import { checkBrowserAnswer } from '../support/openapi-contract-hook';
import { createOrganization, createUser, grantRole, TEST_PASSWORD, TEST_TOTP_SECRET, type TestOrganization, type TestUser } from '../support/factories';
import { chromiumForFile, signInThroughUi, violations } from './browser';

const ui = chromiumForFile();
let page: Page;
beforeEach(async () => {
  page = await ui.open();
});

const GUIDE_HINT = 'Consider adding a second (or third) Security Official to your organization to ensure someone is always available to approve role requests.';
const DAY_SECONDS = 86_400;

const axeOn = async (p: Page, what: string) => expect({ what, found: await violations(p) }).toEqual({ what, found: [] });

/** Signs in on the sign-in page the browser is on (after a link sent it there), without going to / first. */
async function signInHere(p: Page, user: TestUser): Promise<void> {
  await p.getByLabel('User ID').fill(user.loginId);
  await p.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await p.getByLabel('Yes, I agree.').check();
  await p.getByRole('button', { name: 'Sign In' }).click();
  await p.getByLabel('Security code').fill(totpCode(TEST_TOTP_SECRET));
  await p.getByRole('button', { name: 'Verify' }).click();
}

/**
 * A second person at another browser at the same time (the nominee, while the nominator's page stays
 * open): a context of the same browser, its answers held to the OpenAPI document as browser.ts does.
 */
async function secondPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await page.context().browser()!.newContext({ baseURL: testStack().gatewayUrl, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(30_000);
  context.on('response', (response) => void checkBrowserAnswer(response));
  return { context, page: await context.newPage() };
}

/** An organization whose one Security Official has a connected Staff User. */
async function singleOfficialOrganization(o: { officialName?: string; staffName?: string } = {}) {
  const org = await createOrganization({ name: `Solo Clinic ${Math.random().toString(36).slice(2, 8)}` });
  const official = await createUser({ displayName: o.officialName ?? 'Sol Official' });
  const staff = await createUser({ displayName: o.staffName ?? 'Stan Staff' });
  await grantRole(official, org, 'SECURITY_OFFICIAL');
  await grantRole(staff, org, 'STAFF_USER');
  return { org, official, staff };
}

/** The banner of one organization. */
const bannerOf = (p: Page, org: TestOrganization) => p.getByTestId('coverage-banner').filter({ hasText: org.name });

/** The row of an organization on the Coverage screen, looked for page by page with Next. */
async function coverageRow(p: Page, org: TestOrganization) {
  const rows = p.getByTestId('coverage-row');
  await p.getByRole('table').or(p.getByText('No organizations.')).waitFor();
  for (let i = 0; i < 200; i++) {
    const row = rows.filter({ has: p.getByRole('link', { name: org.name, exact: true }) });
    if ((await row.count()) === 1) return row;
    const next = p.getByRole('navigation', { name: 'Coverage pages' }).getByRole('button', { name: 'Next' });
    if ((await next.count()) === 0 || (await next.isDisabled())) return null;
    const before = await p.getByRole('navigation', { name: 'Coverage pages' }).textContent();
    await next.click();
    await p.waitForFunction((text) => document.querySelector('nav[aria-label="Coverage pages"]')?.textContent !== text && document.querySelector('table') !== null, before);
  }
  return null;
}

describe('web UI: approver coverage (issue 18)', () => {
  it('shows each organization’s coverage, and the banner for an organization with one Security Official but not for one with two', async () => {
    const { org: solo, official } = await singleOfficialOrganization();
    const pair = await createOrganization({ name: `Pair Clinic ${Math.random().toString(36).slice(2, 8)}` });
    await grantRole(official, pair, 'SECURITY_OFFICIAL');
    await grantRole(await createUser({ displayName: 'Second Official' }), pair, 'SECURITY_OFFICIAL');
    await signInThroughUi(page, official);

    // Manage Access: the coverage of each connected organization, in words.
    const soloCard = page.getByTestId('organization-card').filter({ hasText: solo.name });
    const pairCard = page.getByTestId('organization-card').filter({ hasText: pair.name });
    expect(await soloCard.getByTestId('coverage').textContent()).toBe('Approver coverage: One Security Official');
    expect(await soloCard.textContent()).toContain('1 Security Official');
    expect(await pairCard.getByTestId('coverage').textContent()).toBe('Approver coverage: Covered');
    expect(await pairCard.textContent()).toContain('2 Security Officials');

    // The banner: for the organization that hangs on this official, in the guide's words; not for the other.
    const banner = bannerOf(page, solo);
    await banner.waitFor();
    expect(await banner.getByRole('heading', { level: 2 }).textContent()).toBe(`${solo.name} has only one active Security Official`);
    expect(await banner.textContent()).toContain(GUIDE_HINT);
    expect(await banner.getByRole('button', { name: 'Nominate a backup Security Official' }).count()).toBe(1);
    expect(await page.getByTestId('coverage-banner').count()).toBe(1);
    expect(await bannerOf(page, pair).count()).toBe(0);
    await axeOn(page, 'Manage Access with the banner');

    // The organization's users: its coverage, and the same banner.
    await soloCard.getByRole('link', { name: 'View users' }).click();
    await page.getByRole('heading', { level: 1, name: solo.name }).waitFor();
    expect(await page.getByTestId('coverage').textContent()).toBe('Approver coverage: One Security Official');
    await bannerOf(page, solo).waitFor();
    expect(await bannerOf(page, solo).textContent()).toContain(GUIDE_HINT);
    await axeOn(page, 'View users with the banner');

    await page.goto(`/organizations/${pair.id}/users`);
    await page.getByRole('heading', { level: 1, name: pair.name }).waitFor();
    await page.getByRole('heading', { name: 'Connected Users (2)' }).waitFor();
    expect(await page.getByTestId('coverage').textContent()).toBe('Approver coverage: Covered');
    expect(await page.getByTestId('coverage-banner').count()).toBe(0);
  });

  it('gives the help desk a Coverage screen: organizations at risk with their pending requests and the oldest one’s age, filtered by state, page by page', async () => {
    const orphan = await createOrganization({ name: `Orphan Coverage ${Math.random().toString(36).slice(2, 8)}` });
    const [first, second] = await Promise.all([createUser(), createUser()]);
    const ids: string[] = [];
    for (const requester of [first, second]) {
      const res = await (await signIn(requester)).post('/api/v1/role-requests', { organizationId: orphan.id, role: 'STAFF_USER' });
      expect(res.status).toBe(201);
      ids.push(res.body.id as string);
    }
    // The first request has waited three days (and an hour).
    await query(testStack().databaseUrl, `UPDATE role_requests SET created_at = now() - interval '3 days 1 hour' WHERE id = $1::uuid`, [ids[0]]);
    // More organizations with no Security Official than one page holds (they wait for nothing, so they list after the orphan).
    await Promise.all(Array.from({ length: 26 }, (_, i) => createOrganization({ name: `Zz Unstaffed ${i} ${Math.random().toString(36).slice(2, 8)}` })));
    const { org: solo } = await singleOfficialOrganization();
    const helpDesk = await createUser({ displayName: 'Service Center', platformRole: 'HELP_DESK' });
    await signInThroughUi(page, helpDesk);

    // The help desk's navigation has Coverage beside its other links.
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Manage Access', 'Accounts', 'Coverage', 'Audit log']);
    await nav.getByRole('link', { name: 'Coverage' }).click();
    await page.getByRole('heading', { level: 1, name: 'Coverage' }).waitFor();
    expect(await page.getByLabel('Show').inputValue()).toBe('');
    expect(await page.getByLabel('Show').locator('option').allTextContents()).toEqual(['At risk', 'No Security Official', 'One Security Official', 'Covered']);

    // At risk: the orphan, with no Security Official, two requests waiting, the oldest for three days.
    const row = await coverageRow(page, orphan);
    expect(row).not.toBeNull();
    const cells = await row!.locator('td').allTextContents();
    expect(cells).toEqual(['No Security Official', '0 Security Officials', '2', '3 days']);
    expect(await row!.getByRole('link', { name: orphan.name }).getAttribute('href')).toBe(`/organizations/${orphan.id}/users`);
    await axeOn(page, 'Coverage');

    // One Security Official: only SINGLE organizations, the orphan not among them, the address says so.
    await page.getByLabel('Show').selectOption({ label: 'One Security Official' });
    await page.getByRole('heading', { level: 2, name: /^One Security Official \(\d+\)$/ }).waitFor();
    expect(new URL(page.url()).search).toBe('?state=SINGLE');
    const soloRow = await coverageRow(page, solo);
    expect(soloRow).not.toBeNull();
    expect(await soloRow!.locator('td').allTextContents()).toEqual(['One Security Official', '1 Security Official', '0', 'None waiting']);
    expect(new Set(await page.getByTestId('coverage').evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))))).toEqual(new Set(['SINGLE']));
    expect(await page.getByRole('link', { name: orphan.name, exact: true }).count()).toBe(0);

    // No Security Official: more than a page of them; Next and Previous move through it.
    await page.getByLabel('Show').selectOption({ label: 'No Security Official' });
    await page.getByRole('heading', { level: 2, name: /^No Security Official \(\d+\)$/ }).waitFor();
    expect(new URL(page.url()).search).toBe('?state=NONE');
    const pager = page.getByRole('navigation', { name: 'Coverage pages' });
    await pager.getByText(/^Page 1 of \d+$/).waitFor();
    const firstPage = await page.getByTestId('coverage-row').locator('th a').allTextContents();
    expect(firstPage).toHaveLength(25);
    await pager.getByRole('button', { name: 'Next' }).click();
    await pager.getByText(/^Page 2 of \d+$/).waitFor();
    await page.waitForFunction((names) => [...document.querySelectorAll('[data-testid="coverage-row"] th a')].every((a) => !names.includes(a.textContent ?? '')), firstPage);
    expect(new Set(await page.getByTestId('coverage').evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))))).toEqual(new Set(['NONE']));
    await pager.getByRole('button', { name: 'Previous' }).click();
    await pager.getByText(/^Page 1 of \d+$/).waitFor();

    // Each organization links to its users.
    const orphanRow = await coverageRow(page, orphan);
    await orphanRow!.getByRole('link', { name: orphan.name }).click();
    await page.getByRole('heading', { level: 1, name: orphan.name }).waitFor();
    expect(await page.getByTestId('coverage').textContent()).toBe('Approver coverage: No Security Official');
    await page.getByRole('heading', { name: 'Pending Requests (2)' }).waitFor();
    expect(await page.getByTestId('coverage-banner').count()).toBe(0);
  });

  it('refuses the Coverage screen to anyone but the help desk', async () => {
    const { official } = await singleOfficialOrganization();
    await signInThroughUi(page, official);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Coverage' }).count()).toBe(0);
    await page.goto('/coverage');
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  });
});

void secondPage;
void signInHere;
void mailbox;
void DAY_SECONDS;
