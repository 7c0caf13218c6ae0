// Connect to another organization in a real browser (seed 000 "Connect to another organization";
// rules 1, 3 and 6): search by name or identifier, choose a role, justify, submit, and be told
// who can approve.
import type { Page } from 'playwright-core';
import { query } from '@am/devstack';
import { testStack } from '../setup/stack';
import { createOrganization, createUser, grantRole } from '../support/factories';
import { chromiumForFile, signInThroughUi } from './browser';

const ui = chromiumForFile();
let page: Page;
beforeEach(async () => {
  page = await ui.open();
});

describe('web UI: connect to another organization', () => {
  it('finds an organization by its TIN, submits a role request and names the approvers', async () => {
    const org = await createOrganization();
    const kelly = await createUser({ displayName: 'Kelly Approver' });
    await grantRole(kelly, org, 'SECURITY_OFFICIAL');
    const requester = await createUser();
    await signInThroughUi(page, requester);

    await page.getByRole('link', { name: 'Connect to another organization' }).click();
    await page.getByRole('heading', { level: 1, name: 'Connect to another organization' }).waitFor();
    await page.getByLabel('Organization name or identifier').fill(org.identifier);
    await page.getByRole('button', { name: 'Search' }).click();
    const choice = page.getByRole('radio', { name: new RegExp(org.name) });
    await choice.waitFor();
    expect(await choice.isChecked()).toBe(true); // the only match is chosen
    expect(await page.getByRole('group', { name: /Organization/ }).textContent()).toContain(`TIN: ${org.identifier}`);

    // Submitting without a role says what is missing.
    await page.getByRole('button', { name: 'Submit request' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('Choose the role you are requesting.');

    await page.getByRole('radio', { name: 'Staff User' }).check();
    await page.getByLabel('Why do you need this role? (optional)').fill('I submit our quality data');
    await page.getByRole('button', { name: 'Submit request' }).click();

    await page.getByRole('heading', { name: 'Your request has been submitted' }).waitFor();
    const main = await page.getByRole('main').textContent();
    expect(main).toContain(`You asked for the Staff User role at ${org.name}`);
    expect(main).toContain('Waiting for approval from the current Security Official(s)');
    expect(await page.getByRole('list', { name: 'Who can approve your request' }).getByRole('listitem').allTextContents()).toEqual(['Kelly Approver']);

    const rows = await query(testStack().databaseUrl, 'SELECT role, status, justification FROM role_requests WHERE requester_id = $1 AND organization_id = $2', [requester.id, org.id]);
    expect(rows).toEqual([{ role: 'STAFF_USER', status: 'PENDING', justification: 'I submit our quality data' }]);

    // Back on Manage Access the request waits, naming its approver.
    await page.getByRole('link', { name: 'Back to Manage Access' }).click();
    const mine = page.getByTestId('my-request').filter({ hasText: org.name });
    await mine.waitFor();
    expect(await mine.textContent()).toContain('Kelly Approver');
  });

  it('finds by name, and shows the API’s refusal of a second pending request', async () => {
    const stamp = Date.now().toString(36);
    const org = await createOrganization({ name: `Orphan Family ${stamp}` });
    const requester = await createUser();
    await signInThroughUi(page, requester);
    await page.goto('/connect');

    const request = async () => {
      await page.getByLabel('Organization name or identifier').fill(`orphan family ${stamp}`);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('radio', { name: new RegExp(org.name) }).check();
      await page.getByRole('radio', { name: 'Security Official' }).check();
      await page.getByRole('button', { name: 'Submit request' }).click();
    };
    await request();
    await page.getByRole('heading', { name: 'Your request has been submitted' }).waitFor();
    // No Security Official there: the program decides (rule 3).
    expect(await page.getByRole('main').textContent()).toContain('Waiting for approval from the Quality Payment Program');

    await page.goto('/connect');
    await request();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/pending/i);
  });

  it('says when nothing matches', async () => {
    const requester = await createUser();
    await signInThroughUi(page, requester);
    await page.goto('/connect');
    await page.getByLabel('Organization name or identifier').fill(`no such organization ${Date.now()}`);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText(/No organization matches/).waitFor();
    expect(await page.getByRole('button', { name: 'Submit request' }).isDisabled()).toBe(true);
  });
});
