// "Add to calendar" in a real browser (issue 19): beside the guide's Helpful Hint on Manage Access,
// a Security Official opens the control, finds the public program calendar and their own feed
// link, copies it (the clipboard holds it, the live region says so), and gets a new link after a
// confirmation (cancelled once): the old link then answers 404 and the new one the feed. The axe
// checks run with the panel open and on the confirmation. A Staff User, who decides nothing, is
// not offered it.
import type { Page } from 'playwright-core';
import { testStack } from '../setup/stack';
import { createOrganization, createUser, grantRole } from '../support/factories';
import { chromiumForFile, signInThroughUi, violations } from './browser';

const ui = chromiumForFile();
let page: Page;
beforeEach(async () => {
  page = await ui.open();
});

const axeOn = async (p: Page, what: string) => expect({ what, found: await violations(p) }).toEqual({ what, found: [] });
const linkField = (p: Page) => p.getByLabel('Your personal calendar link');
const status = (p: Page) => p.getByRole('status').filter({ hasText: /\S/ });

describe('Add to calendar (issue 19)', () => {
  it('offers the program calendar and a personal link to copy and replace, beside the Helpful Hint', async () => {
    const org = await createOrganization();
    const official = await createUser();
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: testStack().gatewayUrl });
    await signInThroughUi(page, official);

    const pending = page.getByRole('region', { name: /Pending Requests/ });
    await pending.getByText('Consider creating a recurring calendar reminder to sign in').waitFor();
    const open = pending.getByRole('button', { name: 'Add to calendar' });
    expect(await open.getAttribute('aria-expanded')).toBe('false');
    await open.click();
    expect(await open.getAttribute('aria-expanded')).toBe('true');

    const publicLink = pending.getByRole('link', { name: 'Program calendar (iCalendar feed)' });
    expect(await publicLink.getAttribute('href')).toBe('/api/v1/program-calendar.ics');
    await linkField(page).waitFor();
    const first = await linkField(page).inputValue();
    expect(first).toMatch(new RegExp(`^${testStack().serviceEnv.WEB_BASE_URL}/api/v1/program-calendar/feeds/amcal_[A-Za-z0-9_-]{43}\\.ics$`));
    expect((await fetch(first)).status).toBe(200);
    await axeOn(page, 'the panel open');

    await pending.getByRole('button', { name: 'Copy link' }).click();
    await status(page).getByText(/^Copied/).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first);

    // Cancelled: nothing changes.
    await pending.getByRole('button', { name: 'Get a new link' }).click();
    const dialog = page.getByRole('dialog', { name: 'Get a new calendar link?' });
    await dialog.getByText('Your current link stops working at once').waitFor();
    await axeOn(page, 'the confirmation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await linkField(page).inputValue()).toBe(first);
    expect((await fetch(first)).status).toBe(200);

    // Confirmed: a new link, announced; the old one stops working at once.
    await pending.getByRole('button', { name: 'Get a new link' }).click();
    await dialog.getByRole('button', { name: 'Get a new link' }).click();
    await status(page).getByText(/^New link ready/).waitFor();
    await dialog.waitFor({ state: 'detached' });
    const second = await linkField(page).inputValue();
    expect(second).not.toBe(first);
    expect((await fetch(first)).status).toBe(404);
    expect((await fetch(second)).status).toBe(200);
    await axeOn(page, 'after the new link');
  });

  it('is not offered to someone who decides no requests', async () => {
    const org = await createOrganization();
    const staff = await createUser();
    await grantRole(staff, org, 'STAFF_USER');
    await signInThroughUi(page, staff);
    await page.getByRole('region', { name: /Pending Requests/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Add to calendar' }).count()).toBe(0);
  });
});
