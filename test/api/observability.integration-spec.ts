// Issue 6: JSON logs with a request id that travels from the gateway to the services and into the
// workflow's memo, and /health reporting the readiness of PostgreSQL, Temporal and each service.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@am/devstack';
import { testStack } from '../setup/stack';
import { signIn } from '../support/api';
import { createOrganization, createUser } from '../support/factories';
import { temporalClient } from '../support/temporal';

function logLines(service: string, requestId: string): Array<Record<string, unknown>> {
  return readFileSync(join(testStack().logDir, `${service}.log`), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(requestId))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('request ids and logs', () => {
  it('carries the caller’s X-Request-Id through the gateway, the services and into the workflow memo', async () => {
    const api = await signIn(await createUser());
    const org = await createOrganization();
    const requestId = `obs-${randomUUID()}`;
    const res = await fetch(`${testStack().gatewayUrl}/api/v1/role-requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ organizationId: org.id, role: 'STAFF_USER' }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    const { workflowId } = (await res.json()) as { workflowId: string };

    const access = await waitFor('the gateway’s access-log line', async () => logLines('api-gateway', requestId).find((l) => l.msg === 'request'), 10_000, 100);
    expect(access).toMatchObject({ level: 'info', service: 'api-gateway', requestId, method: 'POST', path: '/api/v1/role-requests', status: 201 });
    expect(typeof access.time).toBe('string');

    const { client, close } = await temporalClient();
    try {
      const memo = (await client.workflow.getHandle(workflowId).describe()).memo;
      expect(memo).toMatchObject({ gatewayRequestId: requestId });
    } finally {
      await close();
    }
  });

  it('tags the services’ log lines with the request id they were called for', async () => {
    const requestId = `obs-${randomUUID()}`;
    const res = await fetch(`${testStack().gatewayUrl}/api/v1/role-requests/${randomUUID()}`, {
      headers: { authorization: `Bearer ${(await signIn(await createUser())).token}`, 'x-request-id': requestId },
    });
    expect(res.status).toBe(404);
    const access = await waitFor('the gateway’s access-log line', async () => logLines('api-gateway', requestId).find((l) => l.msg === 'request'), 10_000, 100);
    expect(access).toMatchObject({ status: 404, requestId });
    // The directory handled the session check and the lookup for this request, and says so with its id.
    const handled = await waitFor('the directory’s log lines', async () => {
      const lines = logLines('directory', requestId);
      return lines.some((l) => l.handler === 'RoleRequestsController.get') ? lines : undefined;
    }, 10_000, 100);
    expect(handled).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ service: 'directory', msg: 'rpc', requestId, handler: 'AuthController.checkSession', outcome: 'ok' }),
        expect.objectContaining({ service: 'directory', msg: 'rpc', requestId, handler: 'RoleRequestsController.get', outcome: 'NOT_FOUND' }),
      ]),
    );
  });

  it('makes up an id when the caller sends none or a malformed one', async () => {
    const none = await fetch(`${testStack().gatewayUrl}/health`);
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await fetch(`${testStack().gatewayUrl}/health`, { headers: { 'x-request-id': 'no spaces <allowed>' } });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('GET /health', () => {
  it('reports the readiness of PostgreSQL, Temporal and each service', async () => {
    const res = await fetch(`${testStack().gatewayUrl}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; services: unknown[] };
    expect(body.status).toBe('ok');
    expect(body.services).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ service: 'directory', status: 'ok', checks: expect.objectContaining({ database: 'ok', worker: 'ok' }) }),
        expect.objectContaining({ service: 'access-workflows', status: 'ok', checks: expect.objectContaining({ temporal: 'ok', worker: 'ok' }) }),
        expect.objectContaining({ service: 'notifications', status: 'ok', checks: expect.objectContaining({ worker: 'ok' }) }),
      ]),
    );
  });
});
