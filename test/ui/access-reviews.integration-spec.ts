// Access reviews in a real browser (issue 18, part 3): the help desk starts a campaign for one
// organization from its Access reviews screen; a Security Official of that organization opens the
// review from Manage Access, keeps one user and removes another (after a confirmation), is refused
// removing themselves (the last Security Official), and sees each result beside its row; the
// campaign screen shows the organization's completion; after the due date the review is read-only.
// The axe checks run on each screen. Every test makes its own people and organizations.
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { query } from '@am/devstack';
import { testStack } from '../setup/stack';
import { signIn } from '../support/api';
import { checkBrowserAnswer } from '../support/openapi-contract-hook';
import { createOrganization, createUser, grantRole, type TestOrganization, type TestUser } from '../support/factories';
import { chromiumForFile, signInApiBeforeBrowser, signInThroughUi, violations } from './browser';

const ui = chromiumForFile();
let page: Page;
beforeEach(async () => {
  page = await ui.open();
});

const axeOn = async (p: Page, what: string) => expect({ what, found: await violations(p) }).toEqual({ what, found: [] });

/** A second person at another browser at the same time: a context of the same browser, its answers held to the OpenAPI document as browser.ts does. */
async function secondPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await page.context().browser()!.newContext({ baseURL: testStack().gatewayUrl, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(30_000);
  context.on('response', (response) => void checkBrowserAnswer(response));
  return { context, page: await context.newPage() };
}

/** An organization with one Security Official (the reviewer) and two Staff Users. */
async function reviewedOrganization() {
  const tag = Math.random().toString(36).slice(2, 8);
  const org = await createOrganization({ name: `Review Clinic ${tag}` });
  const official = await createUser({ displayName: `Rhea Reviewer ${tag}` });
  const keeper = await createUser({ displayName: `Kim Keeper ${tag}` });
  const leaver = await createUser({ displayName: `Lee Leaver ${tag}` });
  await grantRole(official, org, 'SECURITY_OFFICIAL');
  await grantRole(keeper, org, 'STAFF_USER');
  await grantRole(leaver, org, 'STAFF_USER');
  return { org, official, keeper, leaver };
}

const roleOf = async (userId: string, orgId: string) =>
  (await query<{ role: string }>(testStack().databaseUrl, 'SELECT role FROM role_assignments WHERE user_id = $1 AND organization_id = $2', [userId, orgId]))[0]?.role;

/** yyyy-mm-dd, `days` from today in the browser's time zone (what its date input speaks). */
const dayInBrowser = (p: Page, days: number) =>
  p.evaluate((n) => {
    const d = new Date(Date.now() + n * 86_400_000);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  }, days);

/** The row of one user on the review screen, and its Keep / Remove / Decide later group. */
const rowOf = (p: Page, u: TestUser) => p.getByTestId('review-item').and(p.locator(`[data-user-id="${u.id}"]`));
const choiceOf = (p: Page, u: TestUser): Locator => p.getByRole('group', { name: `Decision for ${u.displayName}`, exact: true });

/** The help desk starts a campaign for one organization on the Access reviews screen; resolves on the campaign screen. */
async function startCampaignInUi(p: Page, org: TestOrganization): Promise<void> {
  await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Access reviews' }).click();
  await p.getByRole('heading', { level: 1, name: 'Access reviews' }).waitFor();
  const form = p.getByRole('region', { name: 'Start a campaign' });
  await form.getByRole('radio', { name: 'One organization' }).check();
  await form.getByLabel('Organization name or identifier').fill(org.name);
  await form.getByRole('button', { name: 'Find' }).click();
  const choice = form.getByRole('radio', { name: new RegExp(org.name) });
  await choice.waitFor();
  await choice.check();
  await form.getByLabel('Due date').fill(await dayInBrowser(p, 7));
  await form.getByRole('button', { name: 'Start campaign' }).click();
  await p.getByRole('heading', { level: 1, name: `Access review campaign: ${org.name}` }).waitFor();
}

describe('web UI: access reviews (issue 18)', () => {
  it('the help desk starts a one-organization campaign; its Security Official keeps one user, removes another, is refused removing themselves, and the campaign shows it', async () => {
    const { org, official, keeper, leaver } = await reviewedOrganization();
    const helpDesk = await createUser({ displayName: 'Review Desk', platformRole: 'HELP_DESK' });
    await signInThroughUi(page, helpDesk);

    // The help desk's menu has Access reviews; the form refuses what is missing, at the fields.
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Manage Access', 'Accounts', 'Coverage', 'Access reviews', 'Webhooks', 'Audit log']);
    await nav.getByRole('link', { name: 'Access reviews' }).click();
    await page.getByRole('heading', { level: 1, name: 'Access reviews' }).waitFor();
    const form = page.getByRole('region', { name: 'Start a campaign' });
    await form.getByRole('radio', { name: 'One organization' }).check();
    // Focus goes to the search, which finds by name or identifier.
    await form.locator('#campaign-org-search:focus').waitFor();
    await form.getByRole('button', { name: 'Start campaign' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.waitFor();
    expect(await summary.getByRole('link').allTextContents()).toEqual(['Find the organization to review.', 'Enter the due date.']);
    expect(await form.getByLabel('Due date').getAttribute('aria-invalid')).toBe('true');
    await axeOn(page, 'start a campaign, refused');

    // Started for the one organization: its campaign screen, with the organization's review.
    await startCampaignInUi(page, org);
    const campaignPath = new URL(page.url()).pathname;
    expect(campaignPath).toMatch(/^\/access-reviews\/[0-9a-f-]{36}$/);
    const facts = await page.getByTestId('access-review-campaign').textContent();
    expect(facts).toContain('Started byReview Desk');
    expect(facts).toContain('Reviews completed0 of 1');
    const orgRow = page.getByTestId('campaign-review').filter({ has: page.getByRole('link', { name: org.name, exact: true }) });
    await orgRow.waitFor();
    expect(await orgRow.locator('td').allTextContents()).toEqual(['Open', '0 of 3', '0', '0', '0', '3']);
    await axeOn(page, 'campaign screen');

    // A second campaign for the same organization while its review is open: refused, with a link to that review.
    await page.getByRole('link', { name: 'Access reviews', exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Access reviews' }).waitFor();
    const listed = page.getByTestId('campaign-row').filter({ has: page.getByRole('link', { name: org.name, exact: true }) });
    await listed.waitFor();
    expect(await listed.locator('td').allTextContents()).toEqual([expect.any(String), 'Review Desk', 'Open', '0 of 1', '0 of 3']);
    await form.getByRole('radio', { name: 'One organization' }).check();
    await form.getByLabel('Organization name or identifier').fill(org.name);
    await form.getByRole('button', { name: 'Find' }).click();
    await form.getByRole('radio', { name: new RegExp(org.name) }).check();
    await form.getByLabel('Due date').fill(await dayInBrowser(page, 7));
    await form.getByRole('button', { name: 'Start campaign' }).click();
    await summary.filter({ hasText: `${org.name} has an access review open already` }).waitFor();
    const reviewLink = form.getByRole('link', { name: 'Open the review in progress' });
    const reviewPath = await reviewLink.getAttribute('href');
    expect(reviewPath).toMatch(/^\/access-reviews\/[0-9a-f-]{36}$/);
    expect(reviewPath).not.toBe(campaignPath);

    // The Security Official, at another browser: Manage Access lists the review due.
    const so = await secondPage();
    try {
      const p2 = so.page;
      await signInThroughUi(p2, official);
      const due = p2.getByRole('region', { name: /^Access reviews due/ }).getByTestId('access-review-due').filter({ hasText: org.name });
      await due.waitFor();
      expect(await due.textContent()).toContain('3 users wait for review');
      await axeOn(p2, 'Manage Access with a review due');
      await due.getByRole('link', { name: 'Review users' }).click();
      await p2.getByRole('heading', { level: 1, name: `Access review: ${org.name}` }).waitFor();
      expect(new URL(p2.url()).pathname).toBe(reviewPath);
      expect(await p2.getByTestId('unreviewed-policy').textContent()).toMatch(/^Users nobody reviews by .+ (keep|lose) their access\.$/);
      await p2.getByRole('heading', { level: 2, name: 'Progress: 0 of 3 users reviewed' }).waitFor();
      // Each user's choice is a group named after them.
      for (const u of [official, keeper, leaver]) expect(await choiceOf(p2, u).getByRole('radio').count()).toBe(3);
      expect(await rowOf(p2, official).locator('th').textContent()).toContain('(You)');
      await axeOn(p2, 'review screen');

      // Nothing chosen: said, nothing sent.
      await p2.getByRole('button', { name: 'Submit decisions' }).click();
      await p2.getByRole('alert').filter({ hasText: 'Choose Keep or Remove for at least one user' }).waitFor();

      await choiceOf(p2, keeper).getByRole('radio', { name: 'Keep' }).check();
      await choiceOf(p2, leaver).getByRole('radio', { name: 'Remove' }).check();
      await choiceOf(p2, official).getByRole('radio', { name: 'Remove' }).check();
      await p2.getByRole('button', { name: 'Submit decisions' }).click();

      // Removals are confirmed first; cancelling sends nothing.
      const confirm = p2.getByRole('dialog', { name: 'Remove 2 users’ access?' });
      await confirm.waitFor();
      expect(await confirm.getByTestId('confirm-removals').getByRole('listitem').allTextContents()).toEqual(
        expect.arrayContaining([`${leaver.displayName} (Staff User)`, `${official.displayName} (Security Official)`]),
      );
      await axeOn(p2, 'confirm removals dialog');
      await confirm.getByRole('button', { name: 'No, Cancel Action' }).click();
      await confirm.waitFor({ state: 'detached' });
      expect(await roleOf(leaver.id, org.id)).toBe('STAFF_USER');
      await p2.getByRole('button', { name: 'Submit decisions' }).click();
      await confirm.getByRole('button', { name: 'Yes, Submit Decisions' }).click();

      // The results: two recorded, removing oneself (the last Security Official) refused, beside its row; focus on the results.
      const outcome = p2.getByTestId('review-outcome');
      await outcome.getByRole('heading', { name: '2 decisions recorded, 1 could not be recorded' }).waitFor();
      await p2.locator('#review-outcome-heading:focus').waitFor();
      const refusal = outcome.getByTestId('review-refusal');
      expect(await refusal.count()).toBe(1);
      expect(await refusal.textContent()).toContain(official.displayName);
      expect(await rowOf(p2, official).getByTestId('item-refusal').textContent()).toMatch(/^Not recorded: .+/);
      expect(await choiceOf(p2, official).getAttribute('aria-describedby')).toBe(`refusal-${official.id}`);
      const kept = rowOf(p2, keeper).getByTestId('item-decision');
      expect(await kept.getAttribute('data-decision')).toBe('KEEP');
      expect(await kept.textContent()).toContain(`by ${official.displayName}`);
      expect(await rowOf(p2, leaver).getByTestId('item-decision').getAttribute('data-decision')).toBe('REMOVE');
      // The removal runs through the removal workflow: the row follows it to Removed.
      await rowOf(p2, leaver).getByTestId('removal-state').and(p2.locator('[data-status="REMOVED"]')).waitFor({ timeout: 60_000 });
      expect(await roleOf(leaver.id, org.id)).toBeUndefined();
      // Said in the live region too, focus staying on the results.
      expect(await p2.getByTestId('removal-news').textContent()).toBe(`${leaver.displayName}’s access is removed.`);
      await p2.locator('#review-outcome-heading:focus').waitFor();
      expect(await roleOf(official.id, org.id)).toBe('SECURITY_OFFICIAL');
      await p2.getByRole('heading', { level: 2, name: 'Progress: 2 of 3 users reviewed' }).waitFor();
      await axeOn(p2, 'review screen with results');

      // "Keep all undecided" fills the rows left without a choice; with no removal, no confirmation.
      await choiceOf(p2, official).getByRole('radio', { name: 'Decide later' }).check();
      await p2.getByRole('button', { name: 'Keep all undecided' }).click();
      expect(await choiceOf(p2, official).getByRole('radio', { name: 'Keep' }).isChecked()).toBe(true);
      await p2.getByRole('button', { name: 'Submit decisions' }).click();
      await outcome.getByRole('heading', { name: '1 decision recorded.' }).waitFor();
      await p2.getByRole('heading', { level: 2, name: 'Progress: 3 of 3 users reviewed' }).waitFor();
      expect(await p2.getByRole('button', { name: 'Submit decisions' }).count()).toBe(0);
      expect(await p2.getByRole('radio').count()).toBe(0);
    } finally {
      await so.context.close();
    }

    // The help desk's campaign screen shows the organization's completion.
    await page.goto(campaignPath);
    await orgRow.waitFor();
    expect(await orgRow.locator('td').allTextContents()).toEqual([expect.any(String), '3 of 3', '2', '1', '0', '0']);
    await axeOn(page, 'campaign screen after the review');
    // The organization's review opens from it, read by the help desk.
    await orgRow.getByRole('link', { name: org.name }).click();
    await page.getByRole('heading', { level: 1, name: `Access review: ${org.name}` }).waitFor();
    expect(new URL(page.url()).pathname).toBe(reviewPath);
  });

  it('after the due date the review is read-only, with its summary', async () => {
    const { org, official, keeper } = await reviewedOrganization();
    const helpDesk = await createUser({ platformRole: 'HELP_DESK' });
    const desk = await signIn(helpDesk);
    // The earliest due date the API takes is a few seconds ahead.
    const started = await desk.post('/api/v1/access-reviews', { organizationId: org.id, dueAt: new Date(Date.now() + 25_000).toISOString() });
    expect(started.status).toBe(201);
    const campaign = await desk.get(`/api/v1/access-reviews/${started.body.id}`);
    const reviewId = campaign.body.organizations.items[0].id as string;

    await signInThroughUi(page, official);
    await page.goto(`/access-reviews/${reviewId}`);
    await page.getByRole('heading', { level: 1, name: `Access review: ${org.name}` }).waitFor();
    await choiceOf(page, keeper).getByRole('radio', { name: 'Keep' }).check();
    await page.getByRole('button', { name: 'Submit decisions' }).click();
    await page.getByTestId('review-outcome').getByRole('heading', { name: '1 decision recorded.' }).waitFor();

    // Past the due date, the workflow closes the review: read again, it is read-only.
    const summary = page.getByTestId('review-summary');
    for (let i = 0; i < 60 && (await summary.count()) === 0; i++) {
      await new Promise((r) => setTimeout(r, 2000));
      await page.reload();
      await page.getByRole('heading', { level: 1, name: `Access review: ${org.name}` }).waitFor();
    }
    expect(await summary.textContent()).toMatch(/^This review closed on .+: \d+ kept, \d+ removed/);
    expect(await page.getByTestId('unreviewed-policy').textContent()).toMatch(/^Users nobody reviewed by .+ (kept|lost) their access\.$/);
    expect(await page.getByRole('radio').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Submit decisions' }).count()).toBe(0);
    const kept = rowOf(page, keeper).getByTestId('item-decision');
    expect(await kept.getAttribute('data-decision')).toBe('KEEP');
    await axeOn(page, 'completed review');
  });

  it('the help desk reviews an organization with no Security Official from Manage Access; a review never removes the last Security Official', async () => {
    const orphan = await createOrganization({ name: `Orphan Review ${Math.random().toString(36).slice(2, 8)}` });
    const orphanStaff = await createUser({ displayName: 'Opal Orphaned' });
    await grantRole(orphanStaff, orphan, 'STAFF_USER');
    const { org: solo, official } = await reviewedOrganization();
    const helpDesk = await createUser({ displayName: 'Review Desk', platformRole: 'HELP_DESK' });
    const desk = await signInApiBeforeBrowser(helpDesk);
    const reviewOf = async (org: TestOrganization) => {
      const started = await desk.post('/api/v1/access-reviews', { organizationId: org.id, dueAt: new Date(Date.now() + 86_400_000).toISOString() });
      expect(started.status).toBe(201);
      return (await desk.get(`/api/v1/access-reviews/${started.body.id}`)).body.organizations.items[0].id as string;
    };
    const [, soloReview] = await Promise.all([reviewOf(orphan), reviewOf(solo)]);

    // Manage Access: the organization with no Security Official is the help desk's to review; the other is not.
    await signInThroughUi(page, helpDesk);
    const section = page.getByRole('region', { name: /^Access reviews due/ });
    const due = section.getByTestId('access-review-due').filter({ hasText: orphan.name });
    await due.waitFor();
    expect(await section.textContent()).toContain('These organizations have no Security Official, so the help desk reviews them');
    expect(await section.getByTestId('access-review-due').filter({ hasText: solo.name }).count()).toBe(0);
    expect(await due.textContent()).toContain('1 user waits for review');
    await due.getByRole('link', { name: 'Review users' }).click();
    await page.getByRole('heading', { level: 1, name: `Access review: ${orphan.name}` }).waitFor();
    await choiceOf(page, orphanStaff).getByRole('radio', { name: 'Keep' }).check();
    await page.getByRole('button', { name: 'Submit decisions' }).click();
    await page.getByTestId('review-outcome').getByRole('heading', { name: '1 decision recorded.' }).waitFor();
    await axeOn(page, 'the help desk’s review');

    // The only Security Official of an organization: removing them is refused, beside their row, and they keep the role.
    await page.goto(`/access-reviews/${soloReview}`);
    await page.getByRole('heading', { level: 1, name: `Access review: ${solo.name}` }).waitFor();
    await choiceOf(page, official).getByRole('radio', { name: 'Remove' }).check();
    await page.getByRole('button', { name: 'Submit decisions' }).click();
    await page.getByRole('dialog', { name: 'Remove 1 user’s access?' }).getByRole('button', { name: 'Yes, Submit Decisions' }).click();
    const outcome = page.getByTestId('review-outcome');
    await outcome.getByRole('heading', { name: '1 decision could not be recorded' }).waitFor();
    expect(await rowOf(page, official).getByTestId('item-refusal').textContent()).toContain(`${official.displayName} is the only Security Official of ${solo.name}`);
    expect(await roleOf(official.id, solo.id)).toBe('SECURITY_OFFICIAL');
    await axeOn(page, 'a refused removal');
  });

  it('keeps the campaigns to the help desk', async () => {
    const { official } = await reviewedOrganization();
    await signInThroughUi(page, official);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Access reviews' }).count()).toBe(0);
    await page.goto('/access-reviews');
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  });
});
