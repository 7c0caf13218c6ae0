// Outbound webhooks in a real browser (issue 20, part 4): the help desk adds an endpoint on the
// Webhooks screen pointing at a real receiver, copies the signing secret shown once, and sends a
// test ping, which the receiver verifies with the standardwebhooks library as a consumer would; the
// deliveries table follows it to Delivered 200. With the receiver answering 500 the delivery shows
// the error, and once the receiver recovers Redeliver sends it again with the same webhook-id. Pause,
// edit, rotate (both secrets sign meanwhile) and delete, each as the screen shows it. The endpoint
// is scoped to an organization of the test's own, and only pings are sent, so other tests' events
// never reach this receiver. The axe checks run on each screen.
import type { Locator, Page } from 'playwright-core';
import type { WebhookDeliveryView, WebhookWithSecret } from '@am/contracts';
import { testStack } from '../setup/stack';
import { createOrganization, createUser } from '../support/factories';
import { WebhookReceiver, type ReceivedWebhook } from '../support/webhook-receiver';
import { chromiumForFile, signInThroughUi, violations } from './browser';

const ui = chromiumForFile();
let page: Page;
let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await WebhookReceiver.start();
});
afterAll(async () => {
  await receiver?.stop();
});
beforeEach(async () => {
  page = await ui.open();
});

const axeOn = async (p: Page, what: string) => expect({ what, found: await violations(p) }).toEqual({ what, found: [] });

/** The webhook-id header of a delivery: `msg_` and its UUID's hex (the same on every attempt and on a redelivery). */
const webhookIdOf = (deliveryId: string) => `msg_${deliveryId.replace(/-/g, '')}`;

/** The answer of the next matching call the page makes to the API. */
const answerTo = <T>(p: Page, method: string, path: RegExp) =>
  p.waitForResponse((r) => r.request().method() === method && path.test(new URL(r.url()).pathname)).then(async (r) => ({ status: r.status(), body: (await r.json()) as T }));

/** A delivery's row in the deliveries table (the table reads itself again while a delivery is pending). */
const deliveryRow = (p: Page, deliveryId: string): Locator => p.getByTestId('delivery-row').and(p.locator(`[data-delivery-id="${deliveryId}"]`));
const rowIn = (row: Locator, status: string) => row.and(row.page().locator(`[data-status="${status}"]`));

describe('web UI: the help desk’s webhooks (issue 20)', () => {
  it('adds an endpoint whose secret is shown once, pings it (the receiver verifies the signature), redelivers after a failure, and pauses, edits, rotates and deletes it', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const org = await createOrganization({ name: `Webhook Clinic ${tag}` });
    const helpDesk = await createUser({ displayName: `Hook Desk ${tag}`, platformRole: 'HELP_DESK' });
    const path = `/ui-${tag}`;
    const url = receiver.url(path);
    const fromUs = (r: ReceivedWebhook) => r.path === path;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: testStack().gatewayUrl });
    await signInThroughUi(page, helpDesk);

    // The help desk's menu has Webhooks, beside its other screens.
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Manage Access', 'Accounts', 'Coverage', 'Access reviews', 'Webhooks', 'Audit log']);
    await nav.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    expect(await page.evaluate<string>('document.title')).toBe('Webhooks | Access Manager');
    const form = page.getByRole('region', { name: 'Add endpoint' });

    // Each event is explained; nothing filled in is refused at the fields, the summary taking focus.
    const submitted = form.getByRole('checkbox', { name: 'role-request.submitted' });
    expect(await submitted.getAttribute('aria-describedby')).toBeTruthy();
    expect(await form.locator(`[id="${(await submitted.getAttribute('aria-describedby'))!}"]`).textContent()).toBe('Someone asked for a role at an organization.');
    expect(await form.getByRole('checkbox').count()).toBe(8);
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.waitFor();
    expect(await summary.getByRole('link').allTextContents()).toEqual(['Enter the endpoint’s URL.', 'Choose at least one event to send.']);
    await page.waitForFunction("document.activeElement.className === 'error-summary'");
    expect(await form.getByLabel('Endpoint URL').getAttribute('aria-invalid')).toBe('true');
    await axeOn(page, 'add endpoint, refused');

    // The API's own refusal lands beside the field it names (a URL with credentials in it).
    await form.getByLabel('Endpoint URL').fill(receiver.url(path).replace('http://', 'http://someone:secret@'));
    await submitted.check();
    await form.getByRole('checkbox', { name: 'role-request.decided' }).check();
    const refused = answerTo<{ error: { code: string; field?: string; message: string } }>(page, 'POST', /^\/api\/v1\/webhooks$/);
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const refusal = await refused;
    expect(refusal).toMatchObject({ status: 400, body: { error: { field: 'url' } } });
    await form.locator('#webhook-url-error').filter({ hasText: refusal.body.error.message }).waitFor();
    expect(await summary.getByRole('link').allTextContents()).toEqual([refusal.body.error.message]);

    // One organization's events only, found by the same search as a campaign's; a description.
    await form.getByLabel('Endpoint URL').fill(url);
    await form.getByRole('radio', { name: 'One organization' }).check();
    await form.locator('#webhook-org-search:focus').waitFor();
    await form.getByLabel('Organization name or identifier').fill(org.name);
    await form.getByRole('button', { name: 'Find' }).click();
    // The only match is chosen at once.
    expect(await form.getByRole('radio', { name: new RegExp(org.name) }).isChecked()).toBe(true);
    await form.getByLabel('Description (optional)').fill(`Registry test endpoint ${tag}`);
    const created = answerTo<WebhookWithSecret>(page, 'POST', /^\/api\/v1\/webhooks$/);
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const { status: createdStatus, body: hook } = await created;
    expect(createdStatus).toBe(201);
    expect(hook).toMatchObject({ url, organizationId: org.id, events: ['role-request.submitted', 'role-request.decided'], status: 'ACTIVE' });

    // The secret, once: clearly marked, focused, copied with one click.
    const panel = page.getByRole('region', { name: 'Endpoint added: its signing secret' });
    await panel.waitFor();
    await page.waitForFunction("document.activeElement.textContent === 'Endpoint added: its signing secret'");
    expect(await panel.textContent()).toContain('you will not see it again');
    const secret = await panel.getByLabel('Signing secret').inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    expect(secret).toBe(hook.secret);
    await panel.getByRole('button', { name: 'Copy secret' }).click();
    await panel.getByRole('status').filter({ hasText: 'Copied the signing secret.' }).waitFor();
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(copied).toBe(secret);
    receiver.secrets = [copied];
    await axeOn(page, 'secret shown once');

    // The list: URL, events, the organization by name, status, not failing.
    const row = page.getByTestId('webhook-row').and(page.locator(`[data-webhook-id="${hook.id}"]`));
    await row.getByText(org.name).waitFor();
    expect(await row.locator('td').allTextContents()).toEqual(['role-request.submittedrole-request.decided', org.name, 'Active', 'Not failing']);
    expect(await row.getByRole('link', { name: url }).getAttribute('href')).toBe(`/webhooks/${hook.id}`);
    await axeOn(page, 'webhooks list');

    // Gone once dismissed: the form is back, and the secret is nowhere on the page.
    await panel.getByRole('button', { name: 'I have saved the secret' }).click();
    await page.locator('#add-endpoint-heading:focus').waitFor();
    expect(await page.getByRole('main').innerHTML()).not.toContain(secret);

    // The endpoint's screen: a test ping, signed with the secret shown.
    await row.getByRole('link', { name: url }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhook endpoint' }).waitFor();
    const endpoint = page.getByTestId('webhook');
    await endpoint.getByRole('heading', { name: url }).waitFor();
    expect(await endpoint.getByTestId('webhook-status-line').textContent()).toBe('Active: events are sent');
    await page.getByRole('region', { name: 'Deliveries' }).getByText('Nothing has been sent to this endpoint yet.').waitFor();
    const pinged = answerTo<WebhookDeliveryView>(page, 'POST', new RegExp(`^/api/v1/webhooks/${hook.id}/test$`));
    await endpoint.getByRole('button', { name: 'Send test ping' }).click();
    const { status: pingStatus, body: ping } = await pinged;
    expect(pingStatus).toBe(202);
    await endpoint.getByTestId('webhook-said').filter({ hasText: 'Test ping sent' }).waitFor();
    const first = await receiver.waitFor((r) => fromUs(r) && r.payload?.type === 'webhook.ping', 30_000, 'the test ping');
    expect(first).toMatchObject({ id: webhookIdOf(ping.id), verified: true, verifiedWith: [0], answered: 200 });
    expect(first.payload).toMatchObject({ type: 'webhook.ping', version: 1, organizationId: null });

    // The deliveries table follows it to Delivered, 200, and the live region says so.
    const pingRow = deliveryRow(page, ping.id);
    await rowIn(pingRow, 'DELIVERED').waitFor();
    const deliveriesSaid = page.getByTestId('deliveries-said');
    await deliveriesSaid.filter({ hasText: 'webhook.ping delivered: the endpoint answered 200.' }).waitFor();
    expect(await pingRow.locator('th').textContent()).toContain('webhook.ping');
    expect(await pingRow.getByTestId('delivery-response').textContent()).toBe('200');
    expect(await pingRow.getByTestId('delivery-error').textContent()).toBe('');
    await axeOn(page, 'endpoint with a delivery');

    // The receiver answers 500: the delivery shows the error, waits for its next attempt, and offers no Redeliver.
    receiver.respond(() => ({ status: 500 }));
    const failing = answerTo<WebhookDeliveryView>(page, 'POST', new RegExp(`^/api/v1/webhooks/${hook.id}/test$`));
    await endpoint.getByRole('button', { name: 'Send test ping' }).click();
    const { body: failed } = await failing;
    await receiver.waitFor((r) => r.id === webhookIdOf(failed.id) && r.answered === 500, 30_000, 'the ping answered 500');
    const failedRow = deliveryRow(page, failed.id);
    await rowIn(failedRow, 'PENDING').getByTestId('delivery-response').filter({ hasText: '500' }).waitFor();
    expect(await failedRow.getByTestId('delivery-error').textContent()).toMatch(/\S/);
    expect(await failedRow.getByRole('button', { name: /Redeliver/ }).count()).toBe(0);
    await deliveriesSaid.filter({ hasText: /^webhook\.ping attempt failed: .+/ }).waitFor();
    // Refresh reads the endpoint again too: it has been failing since the first failed attempt.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await endpoint.getByTestId('webhook-failing-since').filter({ hasText: /\d{4}/ }).waitFor();
    await page.getByRole('link', { name: 'Webhooks', exact: true }).first().click();
    expect(await row.locator('td').last().textContent()).toMatch(/\d{4}/);
    await row.getByRole('link', { name: url }).click();
    await failedRow.waitFor();
    // The filter shows the pending ones only.
    await page.getByLabel('Show', { exact: true }).selectOption('PENDING');
    await failedRow.waitFor();
    expect(await page.getByTestId('delivery-row').count()).toBe(1);
    await page.getByLabel('Show', { exact: true }).selectOption('');
    await pingRow.waitFor();

    // The receiver recovers: the next attempt delivers it; then Redeliver sends it again, same webhook-id.
    receiver.respond(() => ({ status: 200 }));
    await rowIn(failedRow, 'DELIVERED').waitFor();
    expect(await failedRow.getByTestId('delivery-response').textContent()).toBe('200');
    const attemptsBefore = receiver.received((r) => r.id === webhookIdOf(failed.id)).length;
    const redelivered = answerTo<WebhookDeliveryView>(page, 'POST', new RegExp(`^/api/v1/webhooks/${hook.id}/deliveries/${failed.id}/redeliver$`));
    await failedRow.getByRole('button', { name: /^Redeliver/ }).click();
    expect((await redelivered).status).toBe(202);
    await deliveriesSaid.filter({ hasText: 'Redelivery of webhook.ping started' }).waitFor();
    const again = await receiver.waitFor(
      (r) => r.id === webhookIdOf(failed.id) && r.answered === 200 && receiver.received((x) => x.id === r.id).indexOf(r) >= attemptsBefore,
      30_000,
      'the redelivery',
    );
    expect(again.verified).toBe(true);
    await deliveriesSaid.filter({ hasText: 'webhook.ping delivered: the endpoint answered 200.' }).waitFor();
    await rowIn(failedRow, 'DELIVERED').waitFor();

    // Refresh reads the table and the endpoint again, and says so: delivered, it is no longer failing.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await deliveriesSaid.filter({ hasText: /^Deliveries refreshed: 2 deliveries\.$/ }).waitFor();
    await endpoint.getByTestId('webhook-failing-since').filter({ hasText: 'Not failing' }).waitFor();

    // Pause, then resume: said in the live region, shown by the badge and the status.
    await endpoint.getByRole('button', { name: 'Pause' }).click();
    await endpoint.getByTestId('webhook-said').filter({ hasText: 'Paused: events for this endpoint are held until you resume it.' }).waitFor();
    expect(await endpoint.getByTestId('webhook-status').textContent()).toBe('Paused');
    expect(await endpoint.getByTestId('webhook-status-line').textContent()).toMatch(/^Paused: events are held until it resumes\. Paused by /);
    await page.getByRole('link', { name: 'Webhooks', exact: true }).first().click();
    await row.getByTestId('webhook-status').filter({ hasText: 'Paused' }).waitFor();
    expect(await row.locator('td').nth(2).textContent()).toBe(`PausedPaused by ${helpDesk.displayName}`);
    await row.getByRole('link', { name: url }).click();
    await endpoint.getByRole('button', { name: 'Resume' }).click();
    await endpoint.getByTestId('webhook-said').filter({ hasText: 'Resumed' }).waitFor();
    expect(await endpoint.getByTestId('webhook-status').textContent()).toBe('Active');

    // Edit the events and the description.
    const edit = page.getByRole('region', { name: 'Events and description' });
    expect(await edit.getByRole('checkbox', { name: 'role-request.decided' }).isChecked()).toBe(true);
    await edit.getByRole('checkbox', { name: 'role-request.decided' }).uncheck();
    await edit.getByRole('checkbox', { name: 'access.removed' }).check();
    await edit.getByLabel('Description (optional)').fill(`Registry ${tag}, call 555-0100`);
    const patched = answerTo<{ events: string[]; description: string }>(page, 'PATCH', new RegExp(`^/api/v1/webhooks/${hook.id}$`));
    await edit.getByRole('button', { name: 'Save changes' }).click();
    expect((await patched).body).toMatchObject({ events: ['role-request.submitted', 'access.removed'], description: `Registry ${tag}, call 555-0100` });
    await endpoint.getByTestId('webhook-said').filter({ hasText: 'Saved the events and description.' }).waitFor();
    expect(await endpoint.textContent()).toContain(`Registry ${tag}, call 555-0100`);

    // Rotate, after a confirmation: the new secret once, and until when the previous one signs too.
    await endpoint.getByRole('button', { name: 'Rotate secret' }).click();
    const rotateDialog = page.getByRole('dialog', { name: 'Rotate the signing secret?' });
    await rotateDialog.waitFor();
    await axeOn(page, 'rotate dialog');
    await rotateDialog.getByRole('button', { name: 'No, Cancel Action' }).click();
    await rotateDialog.waitFor({ state: 'detached' });
    await endpoint.getByRole('button', { name: 'Rotate secret' }).click();
    const rotated = answerTo<WebhookWithSecret>(page, 'POST', new RegExp(`^/api/v1/webhooks/${hook.id}/rotate-secret$`));
    await rotateDialog.getByRole('button', { name: 'Yes, Rotate Secret' }).click();
    const { body: rotation } = await rotated;
    const newPanel = page.getByRole('region', { name: 'New signing secret' });
    await newPanel.waitFor();
    await page.waitForFunction("document.activeElement.textContent === 'New signing secret'");
    const newSecret = await newPanel.getByLabel('Signing secret').inputValue();
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(secret);
    expect(newSecret).toBe(rotation.secret);
    expect(rotation.previousSecretExpiresAt).toEqual(expect.any(String));
    expect(await newPanel.getByTestId('previous-secret-note').textContent()).toMatch(/^The previous secret keeps signing until .+\d/);
    await axeOn(page, 'rotated secret');
    // Meanwhile a delivery carries both signatures: each secret verifies it.
    receiver.secrets = [secret, newSecret];
    const third = answerTo<WebhookDeliveryView>(page, 'POST', new RegExp(`^/api/v1/webhooks/${hook.id}/test$`));
    await endpoint.getByRole('button', { name: 'Send test ping' }).click();
    const { body: afterRotation } = await third;
    const signedTwice = await receiver.waitFor((r) => r.id === webhookIdOf(afterRotation.id), 30_000, 'the ping after rotation');
    expect(signedTwice.verifiedWith).toEqual([0, 1]);
    await newPanel.getByRole('button', { name: 'I have saved the secret' }).click();
    await newPanel.waitFor({ state: 'detached' });

    // Delete, after a confirmation: back on the list, which no longer has it; its address says so.
    await endpoint.getByRole('button', { name: 'Delete endpoint' }).click();
    const deleteDialog = page.getByRole('dialog', { name: 'Delete this endpoint?' });
    await deleteDialog.waitFor();
    expect(await deleteDialog.textContent()).toContain(url);
    await deleteDialog.getByRole('button', { name: 'Yes, Delete Endpoint' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await page.getByTestId('toast').filter({ hasText: `You deleted the endpoint ${url}.` }).waitFor();
    await page.getByRole('heading', { level: 2, name: /^Endpoints \(\d+\)$/ }).waitFor();
    expect(await row.count()).toBe(0);
    await page.goto(`/webhooks/${hook.id}`);
    await page.getByRole('alert').filter({ hasText: 'No webhook endpoint has this id' }).waitFor();

    // Only pings reached the receiver from this endpoint, each verified.
    const ours = receiver.received(fromUs);
    expect(ours.length).toBeGreaterThanOrEqual(5);
    expect(ours.every((r) => r.payload?.type === 'webhook.ping' && r.verified)).toBe(true);
  }, 240_000);

  it('is the help desk’s only: others have no Webhooks in their menu, and its address is not found', async () => {
    const someone = await createUser();
    await signInThroughUi(page, someone);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).count()).toBe(0);
    await page.goto('/webhooks');
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  });
});
