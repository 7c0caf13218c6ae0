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

/** "Page 2 of 5" as the shown list says it (its caption, from the API's answer): the page number. */
async function shownPage(p: Page): Promise<number> {
  const caption = (await p.locator('table caption').textContent()) ?? '';
  return Number(/page (\d+) of/.exec(caption)?.[1]);
}

/** Waits until the list shown is page `n` of the API's answer (not only the pager's button state). */
const onPage = (p: Page, n: number) => p.locator('table caption').filter({ hasText: new RegExp(`page ${n} of \\d+$`) }).waitFor();

/** The row of an organization on the Coverage screen, looked for page by page with Next. */
async function coverageRow(p: Page, org: TestOrganization) {
  const rows = p.getByTestId('coverage-row');
  await p.getByRole('table').or(p.getByText('No organizations.')).waitFor();
  for (let i = 0; i < 500; i++) {
    const row = rows.filter({ has: p.getByRole('link', { name: org.name, exact: true }) });
    if ((await row.count()) === 1) return row;
    const next = p.getByRole('navigation', { name: 'Coverage pages' }).getByRole('button', { name: 'Next' });
    if ((await next.count()) === 0 || (await next.isDisabled())) return null;
    const current = await shownPage(p);
    await next.click();
    await onPage(p, current + 1);
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
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Manage Access', 'Accounts', 'Coverage', 'Access reviews', 'Webhooks', 'Audit log']);
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
    await onPage(page, 2);
    const secondPage = await page.getByTestId('coverage-row').locator('th a').allTextContents();
    expect(secondPage.length).toBeGreaterThan(0);
    expect(secondPage.filter((name) => firstPage.includes(name))).toEqual([]);
    expect(new Set(await page.getByTestId('coverage').evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))))).toEqual(new Set(['NONE']));
    await pager.getByRole('button', { name: 'Previous' }).click();
    await onPage(page, 1);

    // Each organization links to its users.
    const orphanRow = await coverageRow(page, orphan);
    await orphanRow!.getByRole('link', { name: orphan.name }).click();
    await page.getByRole('heading', { level: 1, name: orphan.name }).waitFor();
    expect(await page.getByTestId('coverage').textContent()).toBe('Approver coverage: No Security Official');
    await page.getByRole('heading', { name: 'Pending Requests (2)' }).waitFor();
    expect(await page.getByTestId('coverage-banner').count()).toBe(0);
  });

  it('works at phone width: the banner and the nominate dialog in one column, with no WCAG 2.1 AA violations', async () => {
    page = await ui.open({ width: 375, height: 740 });
    const { org, official } = await singleOfficialOrganization();
    await signInThroughUi(page, official);
    const banner = bannerOf(page, org);
    await banner.waitFor();
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await axeOn(page, 'Manage Access with the banner, phone');
    await banner.getByRole('button', { name: 'Nominate a backup Security Official' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nominate a backup Security Official' });
    await dialog.getByRole('radio', { name: /Stan Staff/ }).waitFor();
    await axeOn(page, 'nominate dialog, phone');
    // Escape closes it and focus goes back to the button that opened it.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await banner.locator('button:focus').filter({ hasText: 'Nominate a backup Security Official' }).waitFor();
  });

  it('refuses the Coverage screen to anyone but the help desk', async () => {
    const { official } = await singleOfficialOrganization();
    await signInThroughUi(page, official);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Coverage' }).count()).toBe(0);
    await page.goto('/coverage');
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  });
});

const roleOf = async (userId: string, orgId: string) =>
  (await query<{ role: string }>(testStack().databaseUrl, 'SELECT role FROM role_assignments WHERE user_id = $1 AND organization_id = $2', [userId, orgId]))[0]?.role;

/** The email to the nominee, and the path of its link (`/nominations/<id>`, opened on the stack under test). */
async function nominationEmail(nominee: TestUser, nominatorName: string, org: TestOrganization): Promise<string> {
  const email = await mailbox().waitForMessage((m) => m.to.some((t) => t.address === nominee.email) && m.subject === `${nominatorName} nominates you as a Security Official of ${org.name}`, 60_000);
  const link = /https?:\/\/[^\s"'<>]+\/nominations\/[0-9a-f-]{36}/.exec(email.text)?.[0];
  expect(link).toBeDefined();
  return new URL(link!).pathname;
}

describe('web UI: nominating a backup Security Official (issue 18)', () => {
  it('nominates a Staff User from the banner; the nominee accepts from the emailed link after signing in, and the banner goes', async () => {
    const { org, official, staff } = await singleOfficialOrganization({ officialName: 'Nora Nominator', staffName: 'Ned Nominee' });
    await signInThroughUi(page, official);

    const banner = bannerOf(page, org);
    await banner.getByRole('button', { name: 'Nominate a backup Security Official' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nominate a backup Security Official' });
    const ned = dialog.getByRole('radio', { name: /Ned Nominee/ });
    await ned.waitFor();
    expect(await dialog.textContent()).toContain(staff.email);
    // Nobody chosen: refused at the field, focus on it, nothing sent.
    await dialog.getByRole('button', { name: 'Send nomination' }).click();
    await dialog.getByText('Choose a Staff User, or enter the user ID of someone else.').waitFor();
    await dialog.locator('input[type="radio"]:focus').waitFor();
    await axeOn(page, 'nominate dialog, refused');

    await ned.check();
    await dialog.getByLabel('Message to them (optional)').fill('Please be my backup while I am on leave.');
    await dialog.getByRole('button', { name: 'Send nomination' }).click();
    await page.getByTestId('toast').filter({ hasText: `You nominated Ned Nominee to be a Security Official of ${org.name}.` }).waitFor();
    await dialog.waitFor({ state: 'detached' });
    await banner.filter({ hasText: 'You nominated Ned Nominee: they have until' }).waitFor();
    expect(await roleOf(staff.id, org.id)).toBe('STAFF_USER');

    // The nominee opens the emailed link signed out, signs in, and comes back to it.
    const path = await nominationEmail(staff, 'Nora Nominator', org);
    const nominee = await secondPage();
    try {
      const p2 = nominee.page;
      await p2.goto(path);
      await p2.getByRole('button', { name: 'Sign In' }).waitFor();
      await signInHere(p2, staff);
      await p2.getByRole('heading', { level: 1, name: 'Security Official nomination' }).waitFor();
      expect(new URL(p2.url()).pathname).toBe(path);
      const card = p2.getByTestId('nomination');
      await card.getByRole('heading', { name: `Nora Nominator nominated you to be a Security Official of ${org.name}` }).waitFor();
      const text = await card.textContent();
      expect(text).toContain(`TIN: ${org.identifier}`);
      expect(text).toContain('“Please be my backup while I am on leave.”');
      expect(text).toContain('Answer by');
      await axeOn(p2, 'nomination');
      // A Staff User has no audit log yet.
      const auditLink = p2.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' });
      expect(await auditLink.count()).toBe(0);

      await card.getByRole('button', { name: 'Accept' }).click();
      const confirm = p2.getByRole('dialog', { name: 'Accept this nomination?' });
      expect(await confirm.textContent()).toContain(`You will become a Security Official of ${org.name}`);
      await axeOn(p2, 'accept dialog');
      await confirm.getByRole('button', { name: 'Yes, Accept Nomination' }).click();
      await p2.getByTestId('nomination-outcome').getByRole('heading', { name: `You are now a Security Official of ${org.name}.` }).waitFor();
      await p2.locator('#nomination-outcome:focus').waitFor();
      expect(await card.getByRole('button', { name: 'Accept' }).count()).toBe(0);
      await axeOn(p2, 'nomination accepted');
      expect(await roleOf(staff.id, org.id)).toBe('SECURITY_OFFICIAL');
      // The page knows the new role at once: the audit log is there, without signing in again.
      await auditLink.waitFor();
    } finally {
      await nominee.context.close();
    }

    // Two active Security Officials now: the nominator's banner is gone.
    await page.reload();
    const card = page.getByTestId('organization-card').filter({ hasText: org.name });
    await card.getByTestId('coverage').filter({ hasText: 'Approver coverage: Covered' }).waitFor();
    expect(await card.textContent()).toContain('2 Security Officials');
    expect(await page.getByTestId('coverage-banner').count()).toBe(0);
    await mailbox().waitForMessage((m) => m.to.some((t) => t.address === official.email) && m.subject === `Ned Nominee accepted your nomination as a Security Official of ${org.name}`, 60_000);
  });

  it('nominates by user ID from the users page (refusals at the field, in the API’s words); the nominee declines from Manage Access, and the banner stays', async () => {
    const { org, official } = await singleOfficialOrganization({ officialName: 'Dora Nominator' });
    const outsider = await createUser({ displayName: 'Otto Outsider' });
    await signInThroughUi(page, official);
    await page.getByTestId('organization-card').filter({ hasText: org.name }).getByRole('link', { name: 'View users' }).click();
    await page.getByRole('heading', { level: 1, name: org.name }).waitFor();

    const banner = bannerOf(page, org);
    await banner.getByRole('button', { name: 'Nominate a backup Security Official' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nominate a backup Security Official' });
    await dialog.getByRole('radio', { name: 'Someone else, by user ID' }).check();
    const userId = dialog.getByLabel('User ID', { exact: true });
    await userId.fill('no.such.user.anywhere');
    await dialog.getByRole('button', { name: 'Send nomination' }).click();
    await dialog.locator('.field-error').filter({ hasText: 'No account has this user id' }).waitFor();
    expect(await userId.getAttribute('aria-invalid')).toBe('true');
    await dialog.locator('#nominee-user-id:focus').waitFor();
    await axeOn(page, 'nominate dialog, unknown user id');

    await userId.fill(outsider.loginId);
    await dialog.getByRole('button', { name: 'Send nomination' }).click();
    await page.getByTestId('toast').filter({ hasText: `You nominated Otto Outsider to be a Security Official of ${org.name}.` }).waitFor();
    await dialog.waitFor({ state: 'detached' });

    // Nominating them again while they have not answered: the API's 409, at the field.
    await banner.getByRole('button', { name: 'Nominate a backup Security Official' }).click();
    await dialog.getByRole('radio', { name: 'Someone else, by user ID' }).check();
    await dialog.getByLabel('User ID', { exact: true }).fill(outsider.loginId);
    await dialog.getByRole('button', { name: 'Send nomination' }).click();
    await dialog.locator('.field-error').filter({ hasText: `Otto Outsider has a pending nomination at ${org.name} already` }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    const path = await nominationEmail(outsider, 'Dora Nominator', org);
    const nominee = await secondPage();
    try {
      const p2 = nominee.page;
      await signInThroughUi(p2, outsider);
      const section = p2.getByRole('region', { name: 'Security Official Nominations (1)' });
      const row = section.getByTestId('my-nomination').filter({ hasText: org.name });
      await row.waitFor();
      expect(await row.textContent()).toContain('Dora Nominator nominated you to be a Security Official.');
      await axeOn(p2, 'Manage Access with a nomination');

      // Cancelling changes nothing; then decline for real.
      await row.getByRole('button', { name: 'Decline' }).click();
      const confirm = p2.getByRole('dialog', { name: 'Decline this nomination?' });
      expect(await confirm.textContent()).toContain('Dora Nominator is told that you declined.');
      await confirm.getByRole('button', { name: 'No, Cancel Action' }).click();
      await confirm.waitFor({ state: 'detached' });
      expect(await row.count()).toBe(1);
      await row.getByRole('button', { name: 'Decline' }).click();
      await confirm.getByRole('button', { name: 'Yes, Decline Nomination' }).click();
      await p2.getByTestId('toast').filter({ hasText: `You declined the nomination to be a Security Official of ${org.name}.` }).waitFor();
      await section.waitFor({ state: 'detached' });
      expect(await roleOf(outsider.id, org.id)).toBeUndefined();

      // The emailed link now tells how it ended, with nothing left to answer.
      await p2.goto(path);
      await p2.getByTestId('nomination-outcome').getByRole('heading', { name: `You declined the nomination to be a Security Official of ${org.name}.` }).waitFor();
      expect(await p2.getByRole('button', { name: 'Accept' }).count()).toBe(0);
      await axeOn(p2, 'nomination declined');
    } finally {
      await nominee.context.close();
    }

    // Still one Security Official: the banner stays.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: org.name }).waitFor();
    expect(await page.getByTestId('coverage').textContent()).toBe('Approver coverage: One Security Official');
    await banner.waitFor();
    await mailbox().waitForMessage((m) => m.to.some((t) => t.address === official.email) && m.subject === `Otto Outsider declined your nomination as a Security Official of ${org.name}`, 60_000);
  });
});
