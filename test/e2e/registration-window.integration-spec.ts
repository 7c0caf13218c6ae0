// Rule 11 through the gateway: the registration window is configuration (REGISTRATION_WINDOW), so
// this test runs a directory (and a gateway in front of it) whose window includes today, and one
// whose window excludes it, next to the run's stack and on its database.
import { join } from 'node:path';
import { freePort, query, startServiceProcess, waitFor, type ManagedProcess } from '@am/devstack';
import { testStack } from '../setup/stack';
import { signIn } from '../support/api';
import { createOrganization, createUser, grantRole } from '../support/factories';

const monthDay = (d: Date) => `${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
const today = monthDay(new Date());
const tomorrow = monthDay(new Date(Date.now() + 86_400_000));

const started: ManagedProcess[] = [];

/** A directory with this window and a gateway that uses it (the other services are the run's). */
async function gatewayWithWindow(name: string, window: string): Promise<string> {
  const stack = testStack();
  const [gatewayPort, directoryPort] = await Promise.all([freePort(), freePort()]);
  const env = { ...stack.serviceEnv, TASK_QUEUE_PREFIX: `${name}-${process.pid}`, DIRECTORY_PORT: String(directoryPort), GATEWAY_PORT: String(gatewayPort), REGISTRATION_WINDOW: window };
  started.push(startServiceProcess('directory', env, join(stack.logDir, name, 'directory.log')));
  started.push(startServiceProcess('api-gateway', env, join(stack.logDir, name, 'api-gateway.log')));
  const url = `http://127.0.0.1:${gatewayPort}`;
  await waitFor(`the ${name} gateway to be ready`, async () => (await fetch(`${url}/health`).catch(() => undefined))?.ok, 90_000, 250);
  return url;
}

afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
});

describe('PUT /api/v1/organizations/{orgId}/registration (rule 11)', () => {
  let openUrl: string;
  let closedUrl: string;
  beforeAll(async () => {
    [openUrl, closedUrl] = await Promise.all([gatewayWithWindow('window-open', `${today}/${today}`), gatewayWithWindow('window-closed', `${tomorrow}/${tomorrow}`)]);
  });

  it('lets a Security Official of a practice edit it inside the window, audited', async () => {
    const org = await createOrganization();
    const official = await createUser();
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const api = await signIn(official, openUrl);

    const page = await api.get('/api/v1/manage-access');
    expect(page.body.connectedOrganizations.PRACTICE[0].registration).toMatchObject({ editable: true, cmsWebInterface: false });

    const res = await api.request('PUT', `/api/v1/organizations/${org.id}/registration`, { cmsWebInterface: true, cahpsSurvey: false });
    expect(res.status).toBe(200);
    expect(res.body.registration).toMatchObject({ cmsWebInterface: true, cahpsSurvey: false, editable: true });
    expect(await query(testStack().databaseUrl, 'SELECT cms_web_interface, cahps_survey FROM organizations WHERE id = $1', [org.id])).toEqual([
      { cms_web_interface: true, cahps_survey: false },
    ]);
    const audit = await query(testStack().databaseUrl, `SELECT actor_id, details FROM audit_events WHERE action = 'organization.registration-changed' AND organization_id = $1`, [org.id]);
    expect(audit).toEqual([
      { actor_id: official.id, details: { before: { cmsWebInterface: false, cahpsSurvey: false }, after: { cmsWebInterface: true, cahpsSurvey: false } } },
    ]);

    const missing = await api.request('PUT', `/api/v1/organizations/${org.id}/registration`, { cmsWebInterface: true });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'cahpsSurvey', message: 'cahpsSurvey must be true or false' });
  });

  it('refuses outside the window with 422, and changes nothing', async () => {
    const org = await createOrganization();
    const official = await createUser();
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const api = await signIn(official, closedUrl);
    const page = await api.get('/api/v1/manage-access');
    expect(page.body.connectedOrganizations.PRACTICE[0].registration.editable).toBe(false);

    const res = await api.request('PUT', `/api/v1/organizations/${org.id}/registration`, { cmsWebInterface: true, cahpsSurvey: true });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'REGISTRATION_CLOSED', message: expect.stringContaining('registration period') });
    expect(await query(testStack().databaseUrl, 'SELECT cms_web_interface, cahps_survey FROM organizations WHERE id = $1', [org.id])).toEqual([
      { cms_web_interface: false, cahps_survey: false },
    ]);
  });

  it('is for Security Officials of practices only', async () => {
    const [practice, registry] = await Promise.all([createOrganization(), createOrganization({ kind: 'REGISTRY' })]);
    const [staff, official] = await Promise.all([createUser(), createUser()]);
    await grantRole(staff, practice, 'STAFF_USER');
    await grantRole(official, registry, 'SECURITY_OFFICIAL');
    const body = { cmsWebInterface: true, cahpsSurvey: true };
    const byStaff = await (await signIn(staff, openUrl)).request('PUT', `/api/v1/organizations/${practice.id}/registration`, body);
    expect(byStaff.status).toBe(403);
    const atRegistry = await (await signIn(official, openUrl)).request('PUT', `/api/v1/organizations/${registry.id}/registration`, body);
    expect(atRegistry.status).toBe(422);
    expect(atRegistry.body.error.code).toBe('REGISTRATION_NOT_APPLICABLE');
  });
});
