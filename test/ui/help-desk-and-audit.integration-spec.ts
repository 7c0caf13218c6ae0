// The help desk's view (rule 3: requests at organizations with no Security Official are decided
// by the program's help desk) and the audit view with its CSV download, in a real browser.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { query } from '@am/devstack';
import { testStack } from '../setup/stack';
import { signIn } from '../support/api';
import { createOrganization, createUser, grantRole } from '../support/factories';
import { chromiumForFile, signInApiBeforeBrowser, signInThroughUi } from './browser';

const ui = chromiumForFile();
let page: Page;
beforeEach(async () => {
  page = await ui.open();
});

describe('web UI: the help desk', () => {
  it('sees and approves a request at an organization with no Security Official', async () => {
    const orphan = await createOrganization({ name: `Orphan Practice ${Date.now().toString(36)}` });
    const requester = await createUser({ displayName: 'Olga Orphan-Requester' });
    const submitted = await (await signIn(requester)).post('/api/v1/role-requests', { organizationId: orphan.id, role: 'SECURITY_OFFICIAL' });
    expect(submitted.status).toBe(201);
    const helpDesk = await createUser({ displayName: 'Service Center', platformRole: 'HELP_DESK' });
    await signInThroughUi(page, helpDesk);

    await page.getByText('you decide the requests at organizations that have no Security Official').waitFor();
    // The help desk belongs to no organization: no Connected Organizations, no Connect.
    expect(await page.getByRole('heading', { name: /Connected Organizations/ }).count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Manage Access', 'Accounts', 'Coverage', 'Access reviews', 'Webhooks', 'Audit log']);

    const row = page.getByTestId('pending-request').filter({ hasText: 'Olga Orphan-Requester' });
    expect(await row.getByRole('link', { name: orphan.name }).getAttribute('href')).toBe(`/organizations/${orphan.id}/users`);
    await row.getByRole('button', { name: 'Approve' }).click();
    await page.getByTestId('toast').filter({ hasText: "You approved Olga Orphan-Requester's request for the Security Official role" }).waitFor();
    await row.waitFor({ state: 'detached' });
    const [granted] = await query<{ role: string }>(testStack().databaseUrl, 'SELECT role FROM role_assignments WHERE user_id = $1 AND organization_id = $2', [requester.id, orphan.id]);
    expect(granted?.role).toBe('SECURITY_OFFICIAL');
  });
});

describe('web UI: audit log', () => {
  it('shows a Security Official the events of their organization, filters them, and downloads them as CSV', async () => {
    const org = await createOrganization();
    const official = await createUser();
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const requester = await createUser();
    const submitted = await (await signIn(requester)).post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    expect(submitted.status).toBe(201);
    const denied = await (await signInApiBeforeBrowser(official)).post(`/api/v1/role-requests/${submitted.body.id}/deny`, { reason: 'Unknown to us' });
    expect(denied.status).toBe(200);
    await signInThroughUi(page, official);

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.getByLabel('Organization').selectOption({ label: org.name });
    await page.getByRole('button', { name: 'Show events' }).click();
    const table = page.getByRole('table');
    await table.getByRole('cell', { name: 'role-request.denied' }).waitFor();
    const actions = await table.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(actions).toEqual(expect.arrayContaining(['role-request.submitted', 'role-request.denied']));
    expect(await table.locator('tbody tr td:nth-child(3)').allTextContents()).toEqual(actions.map(() => org.name));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('audit-events.csv');
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('id,occurredAt,action,actorId,organizationId,subjectId,details,prevHash,hash');
    expect(lines.length - 1).toBe(actions.length);
    expect(csv).toContain('role-request.denied');
  });
});
