// Issue 19, part 4: the Email preferences screen in Chromium. A Security Official opens it from the
// header, chooses the daily digest at an hour in a time zone, saves, and is told it is saved; the
// API (and a fresh page) read the same; back to per-request emails keeps the hour and zone. Labels
// and axe on the screen.
import { waitFor } from '@am/devstack';
import { signIn } from '../support/api';
import { createOrganization, createUser, grantRole } from '../support/factories';
import { chromiumForFile, signInApiBeforeBrowser, signInThroughUi, violations } from './browser';

const ui = chromiumForFile();

describe('web UI: email preferences (issue 19)', () => {
  it('saves the daily digest at an hour in a time zone, says so, and keeps it', async () => {
    const [org, official] = await Promise.all([createOrganization(), createUser()]);
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const api = await signInApiBeforeBrowser(official);

    const page = await ui.open();
    await signInThroughUi(page, official);
    await page.getByRole('link', { name: 'Email preferences' }).click();
    await page.getByRole('heading', { level: 1, name: 'Email preferences' }).waitFor();
    expect(await page.title()).toBe('Email preferences | Access Manager');

    // The defaults: an email per request; the digest's time fields are there but off until it is chosen.
    const immediate = page.getByRole('radio', { name: /An email for each request/ });
    const daily = page.getByRole('radio', { name: /One daily digest/ });
    const group = page.getByRole('group', { name: 'Requests waiting for my decision' });
    expect(await group.getByRole('radio').count()).toBe(2);
    expect(await immediate.isChecked()).toBe(true);
    const hour = page.getByLabel('Time of day');
    const zone = page.getByLabel('Time zone');
    expect(await hour.isDisabled()).toBe(true);
    expect(await hour.inputValue()).toBe('8');
    expect(await zone.inputValue()).toBe('America/New_York');
    expect(await violations(page)).toEqual([]);

    await daily.check();
    expect(await hour.isEnabled()).toBe(true);
    await hour.selectOption({ label: '6:00 AM' });
    await zone.selectOption('America/Chicago');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    const status = page.getByRole('status').filter({ hasText: 'Saved.' });
    await status.waitFor();
    expect(await status.textContent()).toBe('Saved. You will get one email a day at 6:00 AM (America/Chicago) listing the requests waiting for your decision.');
    expect(await violations(page)).toEqual([]);
    await waitFor('the preferences saved through the API', async () => {
      const res = await api.get('/api/v1/me/preferences');
      return res.body.emailDigest === 'daily' ? res.body : undefined;
    });
    expect((await api.get('/api/v1/me/preferences')).body).toEqual({ emailDigest: 'daily', digestHour: 6, timeZone: 'America/Chicago' });

    // A fresh page reads what was saved.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Email preferences' }).waitFor();
    await waitFor('the saved choice on a fresh page', async () => (await page.getByRole('radio', { name: /One daily digest/ }).isChecked()) || undefined, 10_000, 100);
    expect(await page.getByLabel('Time of day').inputValue()).toBe('6');
    expect(await page.getByLabel('Time zone').inputValue()).toBe('America/Chicago');

    // Back to an email per request: saved, said, and the digest's hour and zone kept for next time.
    await page.getByRole('radio', { name: /An email for each request/ }).check();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved. You will get an email for each request that needs your decision.' }).waitFor();
    expect((await api.get('/api/v1/me/preferences')).body).toEqual({ emailDigest: 'immediate', digestHour: 6, timeZone: 'America/Chicago' });
  });

  it('takes the digest’s approve and deny links to the request’s button, focused, without deciding anything', async () => {
    const [org, official, requester] = await Promise.all([createOrganization(), createUser(), createUser({ displayName: 'Lena Linked' })]);
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const submitted = await (await signIn(requester)).post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    expect(submitted.status).toBe(201);
    const id = submitted.body.id as string;
    const officialApi = await signInApiBeforeBrowser(official);

    const page = await ui.open();
    await signInThroughUi(page, official);
    await page.goto(`/manage-access?request=${id}&decision=deny`);
    const row = page.locator(`[data-request-id="${id}"]`);
    await row.waitFor();
    await page.locator(`[data-request-id="${id}"] button:focus`).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Deny');
    await page.goto(`/manage-access?request=${id}&decision=approve`);
    await page.locator(`[data-request-id="${id}"] button:focus`).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Approve');
    // Opening a link decides nothing.
    expect((await officialApi.get(`/api/v1/role-requests/${id}`)).body.status).toBe('PENDING');

    // A link to a request no longer waiting says so.
    await page.goto('/manage-access?request=00000000-0000-4000-8000-000000000000&decision=approve');
    await page.getByRole('status').filter({ hasText: 'The request your email links to is no longer waiting for your decision here' }).waitFor();
    expect(await violations(page)).toEqual([]);
  });
});
