// Live pop-ups and the notifications list in a real browser (issue 7; PRODUCT.md rule 13): every
// decision gives the approver an immediate pop-up and the requester an in-app notice. The page
// reads GET /api/v1/notifications/stream with its session cookie; the tests wait until the
// header's notifications control says the stream is open (data-stream="open") before anything is
// decided, so what they see is pushed live, not loaded with the page.
import type { Page } from 'playwright-core';
import type { NoticeView } from '@am/contracts';
import { waitFor } from '@am/devstack';
import { signIn, type Api } from '../support/api';
import { createOrganization, createUser, grantRole } from '../support/factories';
import { chromiumForFile, signInApiBeforeBrowser, signInThroughUi, violations } from './browser';

const ui = chromiumForFile();

const noticesOf = async (api: Api, query = ''): Promise<NoticeView[]> => {
  const res = await api.get(`/api/v1/notifications${query}`);
  expect(res.status).toBe(200);
  return res.body as NoticeView[];
};
/** The notice of `kind` once the workflow has written it (notices are written asynchronously). */
const noticeOf = (api: Api, kind: string) => waitFor(`a ${kind} notice`, async () => (await noticesOf(api)).find((n) => n.kind === kind), 30_000, 200);

const streamOpen = (page: Page) => page.locator('.notifications[data-stream="open"]').waitFor();

/** An organization with a Security Official, and a person whose request there is pending. */
async function pendingRequest(requesterName: string) {
  const org = await createOrganization();
  const official = await createUser();
  await grantRole(official, org, 'SECURITY_OFFICIAL');
  const requester = await createUser({ displayName: requesterName });
  return { org, official, requester };
}

describe('web UI: live notices and the notifications list', () => {
  it('gives the approver the decision pop-up live when they approve in the UI', async () => {
    const { org, official, requester } = await pendingRequest('Paula Pop-Up');
    const submitted = await (await signIn(requester)).post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    expect(submitted.status).toBe(201);
    // The official's API session (for checking their notices) uses the previous TOTP step; the browser the current one.
    const officialApi = await signInApiBeforeBrowser(official);
    await noticeOf(officialApi, 'request-submitted-approver');

    const page = await ui.open();
    await signInThroughUi(page, official);
    await streamOpen(page);

    const row = page.getByTestId('pending-request').filter({ hasText: 'Paula Pop-Up' });
    await row.getByRole('button', { name: 'Approve' }).click();

    // The live notice (kind decision-confirmed, popup: true) shows its title and body in the lower right.
    const popup = page.locator('[data-testid="toast"][data-notice-kind="decision-confirmed"]');
    await popup.waitFor();
    const notice = await noticeOf(officialApi, 'decision-confirmed');
    expect(notice.popup).toBe(true);
    expect(notice.body).toBe(`You approved Paula Pop-Up's request for the Staff User role at ${org.name}.`);
    expect(await popup.textContent()).toContain(notice.title);
    expect(await popup.textContent()).toContain(notice.body);
    // It is announced by the polite live region, and takes the place of the screen's own confirmation: said once.
    expect(await page.getByRole('status', { name: 'Notifications' }).locator('[data-notice-kind="decision-confirmed"]').count()).toBe(1);
    expect(await page.getByTestId('toast').filter({ hasText: notice.body }).count()).toBe(1);
    const box = await popup.boundingBox();
    const viewport = page.viewportSize()!;
    expect(box!.x + box!.width).toBeGreaterThan(viewport.width / 2);
    expect(box!.y + box!.height).toBeGreaterThan(viewport.height / 2);
    // And it is in the list behind the header's button, unread.
    await page.getByRole('button', { name: /^Notifications \(\d+ unread\)$/ }).click();
    const list = page.getByRole('region', { name: 'Notifications' });
    await list.getByTestId('notice').filter({ hasText: notice.title }).waitFor();
  });

  it('pushes the decision to the requester live; the list marks it read and the unread count drops (phone width)', async () => {
    const { org, official, requester } = await pendingRequest('Rita Requester');
    const requesterApi = await signInApiBeforeBrowser(requester);
    const submitted = await requesterApi.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    expect(submitted.status).toBe(201);
    // The submission's own notice to the requester is there before the page opens: one unread.
    const submittedNotice = await noticeOf(requesterApi, 'request-submitted-requester');

    const page = await ui.open({ width: 390, height: 844 });
    await signInThroughUi(page, requester);
    await streamOpen(page);
    const button = page.getByRole('button', { name: /^Notifications/ });
    await page.getByRole('button', { name: 'Notifications (1 unread)' }).waitFor();

    const decided = await (await signIn(official)).post(`/api/v1/role-requests/${submitted.body.id}/approve`, {});
    expect(decided.status).toBe(200);

    // The pop-up arrives live, with the notice's title and body.
    const popup = page.locator('[data-testid="toast"][data-notice-kind="request-decided"]');
    await popup.waitFor();
    const notice = await noticeOf(requesterApi, 'request-decided');
    expect(notice.readAt).toBeNull();
    expect(await popup.textContent()).toContain(notice.title);
    expect(await popup.textContent()).toContain(notice.body);
    expect(notice.body).toContain(`approved your request for the Staff User role at ${org.name}`);
    await page.getByRole('button', { name: 'Notifications (2 unread)' }).waitFor();

    // The list: title, body, time and link of each notice, newest first; it fits the phone's screen.
    await button.click();
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    const list = page.getByRole('region', { name: 'Notifications' });
    const items = list.getByTestId('notice');
    await items.nth(1).waitFor();
    expect(await items.count()).toBe(2);
    const item = items.first();
    expect(await item.getByRole('heading').textContent()).toBe(`Unread: ${notice.title}`);
    expect(await item.textContent()).toContain(notice.body);
    expect(await item.locator('time').getAttribute('datetime')).toBe(notice.createdAt);
    // notice.link is absolute (WEB_BASE_URL); on this site it is an in-app path, elsewhere the URL itself.
    const href = await item.getByRole('link', { name: `Open: ${notice.title}` }).getAttribute('href');
    expect(new URL(href!, page.url()).href).toBe(new URL(notice.link).href);
    expect(await items.nth(1).textContent()).toContain(submittedNotice.title);
    const panel = await list.boundingBox();
    expect(panel!.x).toBeGreaterThanOrEqual(0);
    expect(panel!.x + panel!.width).toBeLessThanOrEqual(390);
    // WCAG 2.1 A/AA (axe-core) with the list open and the pop-up showing.
    expect(await violations(page)).toEqual([]);

    // Mark as read: the count drops, the notice stays listed as read, and the keyboard stays on it.
    await item.getByRole('button', { name: `Mark as read: ${notice.title}` }).click();
    await page.getByRole('button', { name: 'Notifications (1 unread)' }).waitFor();
    await item.getByRole('button', { name: /^Mark as read/ }).waitFor({ state: 'detached' });
    expect(await item.getByRole('heading').textContent()).toBe(notice.title);
    expect(await item.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);

    // The API agrees: the decision is read; the submission notice is the one unread left.
    const unread = await noticesOf(requesterApi, '?unread=true');
    expect(unread.map((n) => n.id)).toEqual([submittedNotice.id]);
    expect((await noticesOf(requesterApi)).find((n) => n.id === notice.id)?.readAt).toEqual(expect.any(String));

    // Escape closes the list and returns to its button.
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });
    expect(await button.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
  });
});
