// The production rehearsal (issue 21): docker-compose.yml's topology as processes (libs/devstack
// rehearsal.ts): the Temporal server on PostgreSQL with its schemas and search attributes set up by
// the stack's own one-shot scripts, NATS with TLS and credentials, a real SMTP server, and two
// instances of every service in NODE_ENV=production. Then each part fails while requests are in
// flight, and nothing may be lost or doubled. Run by `npm run rehearse` (and by .ci/run after npm test).
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { connect } from 'nats';
import {
  PLACEMENT_VARIABLES,
  query,
  REPO_ROOT,
  startRehearsal,
  waitFor,
  type CaughtMessage,
  type Rehearsal,
  SERVICES,
} from '@am/devstack';
import { publishStack } from '../setup/stack';
import { signInFresh } from '../support/api';
import { createOrganization, createUser, grantRole, type TestOrganization, type TestUser } from '../support/factories';
import { RehearsalClient } from './client';

const LOAD = 200;

let r: Rehearsal;
let temporal: Client;
let connection: Connection;
let gateways: RehearsalClient;

beforeAll(async () => {
  const logDir = join(REPO_ROOT, '.data', 'rehearsal-logs', new Date().toISOString().replace(/[:.]/g, '-'));
  r = await startRehearsal({
    logDir,
    // An operator's .env: a denial becomes final (and is emailed) within the test's time.
    vars: { DENY_UNDO_WINDOW: '3s' },
  });
  // The shared test helpers (factories, sign-in) find the stack here.
  publishStack({
    gatewayUrl: r.gatewayUrls[0],
    databaseUrl: r.databaseUrl,
    temporalAddress: r.temporalAddress,
    temporalNamespace: r.namespace,
    taskQueuePrefix: '',
    mailWebUrl: r.mail.webUrl,
    smtpUrl: r.mail.smtpUrl,
    logDir,
    serviceEnv: { ...r.environments.directory, ...r.environments['api-gateway'] },
  });
  connection = await Connection.connect({ address: r.temporalAddress });
  temporal = new Client({ connection, namespace: r.namespace });
  gateways = new RehearsalClient(r.gatewayUrls);
}, 600_000);

afterAll(async () => {
  await connection?.close();
  await r?.stop();
}, 120_000);

/** A Security Official at `orgs`, a requester, and both signed in once (sign-ins are rate-limited per address). */
async function people(orgs: TestOrganization[]): Promise<{ official: TestUser; requester: TestUser; asOfficial: RehearsalClient; asRequester: RehearsalClient }> {
  const official = await createUser();
  const requester = await createUser();
  for (const org of orgs) await grantRole(official, org, 'SECURITY_OFFICIAL');
  const [o, q] = await Promise.all([signInFresh(official, r.gatewayUrls[0]), signInFresh(requester, r.gatewayUrls[1])]);
  return { official, requester, asOfficial: gateways.as(o.token!), asRequester: gateways.as(q.token!) };
}

async function organizations(n: number): Promise<TestOrganization[]> {
  const out: TestOrganization[] = [];
  for (let i = 0; i < n; i += 20) out.push(...(await Promise.all(Array.from({ length: Math.min(20, n - i) }, () => createOrganization()))));
  return out;
}

const to = (m: CaughtMessage, email: string) => m.to.some((t) => t.address === email);

/** Every message to `email` whose subject is one of `subjects`, once all have arrived; fails on a double. */
async function exactlyOnce(email: string, subjects: string[], timeoutMs = 240_000): Promise<void> {
  const wanted = new Set(subjects);
  const counts = await waitFor(
    `${subjects.length} emails to ${email}`,
    async () => {
      const c = new Map<string, number>();
      for (const m of await r.mail.messages()) if (to(m, email) && wanted.has(m.subject)) c.set(m.subject, (c.get(m.subject) ?? 0) + 1);
      return c.size === wanted.size ? c : undefined;
    },
    timeoutMs,
    1_000,
  );
  const doubled = [...counts].filter(([, n]) => n !== 1);
  expect(doubled).toEqual([]);
}

/**
 * LOAD requests by one requester at LOAD organizations, each submitted and at once approved through
 * either gateway; `midway` runs when half have been submitted, while the rest are in flight.
 */
async function loadWith(midway: () => Promise<void>) {
  const orgs = await organizations(LOAD);
  const { requester, asOfficial, asRequester } = await people(orgs);
  let submitted = 0;
  let trigger!: () => void;
  const half = new Promise<void>((resolve) => (trigger = resolve));
  const chains = orgs.map(async (org) => {
    const sub = await asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    expect({ org: org.name, status: sub.status }).toEqual({ org: org.name, status: 201 });
    if (++submitted === LOAD / 2) trigger();
    const dec = await asOfficial.post(`/api/v1/role-requests/${sub.body.id}/approve`);
    expect({ org: org.name, status: dec.status }).toEqual({ org: org.name, status: 200 });
    return { org, id: sub.body.id as string, workflowId: sub.body.workflowId as string };
  });
  const chaos = half.then(midway);
  // Every chain runs to its end, and the chaos too, before anything is judged.
  const settled = await Promise.allSettled(chains);
  await chaos;
  expect(settled.flatMap((x) => (x.status === 'rejected' ? [String(x.reason)] : []))).toEqual([]);
  const requests = settled.flatMap((x) => (x.status === 'fulfilled' ? [x.value] : []));

  // Nothing lost, nothing doubled: one request and one approval per organization, in the record
  // of truth, in Temporal, and in the mail.
  const rows = await query<{ organization_id: string; n: string }>(
    r.databaseUrl,
    `SELECT organization_id, count(*) AS n FROM role_requests WHERE requester_id = $1 GROUP BY organization_id`,
    [requester.id],
  );
  expect(rows).toHaveLength(LOAD);
  expect(rows.filter((x) => x.n !== '1')).toEqual([]);
  const approvals = await query<{ n: string }>(
    r.databaseUrl,
    `SELECT count(*) AS n FROM audit_events WHERE action = 'role-request.approved' AND subject_id = ANY($1::text[])`,
    [requests.map((q) => q.id)],
  );
  expect(Number(approvals[0].n)).toBe(LOAD);
  const held = await query<{ n: string }>(r.databaseUrl, `SELECT count(*) AS n FROM role_assignments WHERE user_id = $1`, [requester.id]);
  expect(Number(held[0].n)).toBe(LOAD);
  await waitFor(
    'every request workflow to complete',
    async () => (await temporal.workflow.count(`RequesterId = '${requester.id}' AND ExecutionStatus = 'Running'`)).count === 0,
    240_000,
    1_000,
  );
  const subjects = (verb: string) => orgs.map((o) => `Your request for the Staff User role at ${o.name} was ${verb}`);
  await exactlyOnce(requester.email, [...subjects('submitted'), ...subjects('approved')]);
  return { requests, requester };
}

describe('the production topology, from docker-compose.yml', () => {
  it('runs two instances of every service in production, over NATS with credentials, on a Temporal server with PostgreSQL persistence', async () => {
    for (const s of SERVICES) {
      const instances = [...r.instances.values()].filter((i) => i.service === s);
      expect(instances).toHaveLength(2);
      for (const i of instances) {
        expect(i.env).toMatchObject({ NODE_ENV: 'production', TRANSPORT: 'nats', NATS_USER: expect.any(String), NATS_PASSWORD: r.vars.NATS_PASSWORD });
        // compose's variables for the service, and beyond them only where it listens on this host.
        const extra = Object.keys(i.env).filter((k) => !(k in (r.compose.services[s].environment ?? {})));
        expect(extra.filter((k) => !(PLACEMENT_VARIABLES as readonly string[]).includes(k))).toEqual([]);
      }
    }
    // NATS refuses a client without the credentials.
    const natsUrl = r.environments.directory.NATS_URL;
    await expect(connect({ servers: natsUrl, reconnect: false, timeout: 3000 })).rejects.toThrow();
    // Temporal's persistence and visibility are PostgreSQL databases at the schema version of the server.
    const versions = await query<{ db: string; v: string }>(r.databaseUrl.replace(/\/[^/]*$/, '/temporal'), `SELECT 'temporal' AS db, curr_version AS v FROM schema_version`);
    const visibility = await query<{ v: string }>(r.databaseUrl.replace(/\/[^/]*$/, '/temporal_visibility'), `SELECT curr_version AS v FROM schema_version`);
    expect(versions[0].v).toMatch(/^1\.\d+$/);
    expect(visibility[0].v).toMatch(/^1\.\d+$/);
    // The search attributes, registered by the set-up job through the operator API.
    const attrs = await connection.operatorService.listSearchAttributes({ namespace: r.namespace });
    expect(Object.keys(attrs.customAttributes ?? {}).sort()).toEqual(['OrganizationId', 'RequestStatus', 'RequestedRole', 'RequesterId']);
  });

  it('carries the whole lifecycle through the gateways, and operators find requests by search attribute', async () => {
    const [approveAt, denyAt, withdrawAt] = await organizations(3);
    const { official, requester, asOfficial, asRequester } = await people([approveAt, denyAt, withdrawAt]);
    const submit = async (org: TestOrganization) => {
      const res = await asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
      expect(res.status).toBe(201);
      return res.body as { id: string; workflowId: string };
    };
    const [a, d, w] = [await submit(approveAt), await submit(denyAt), await submit(withdrawAt)];
    expect((await asOfficial.post(`/api/v1/role-requests/${a.id}/approve`)).status).toBe(200);
    expect((await asOfficial.post(`/api/v1/role-requests/${d.id}/deny`, { reasonCode: 'NOT_AFFILIATED' })).status).toBe(200);
    expect((await asRequester.post(`/api/v1/role-requests/${w.id}/withdraw`)).status).toBe(200);
    const removed = await asOfficial.call('DELETE', `/api/v1/organizations/${approveAt.id}/users/${requester.id}`);
    expect(removed.status).toBe(200);

    const subject = (org: TestOrganization, verb: string) => `Your request for the Staff User role at ${org.name} was ${verb}`;
    await exactlyOnce(requester.email, [
      subject(approveAt, 'submitted'),
      subject(denyAt, 'submitted'),
      subject(withdrawAt, 'submitted'),
      subject(approveAt, 'approved'),
      subject(denyAt, 'denied'),
      `Your access to ${approveAt.name} was removed`,
    ]);
    expect((await r.mail.messages()).some((m) => to(m, official.email))).toBe(true);

    // Visibility on PostgreSQL: the request workflows by organization and by status.
    const find = async (q: string) => {
      const ids: string[] = [];
      for await (const e of temporal.workflow.list({ query: q })) ids.push(e.workflowId);
      return ids;
    };
    await waitFor('visibility to show the decided requests', async () => {
      const [approved, denied, withdrawn] = await Promise.all([
        find(`OrganizationId = '${approveAt.id}' AND RequestStatus = 'APPROVED'`),
        find(`OrganizationId = '${denyAt.id}' AND RequestStatus = 'DENIED'`),
        find(`RequesterId = '${requester.id}' AND RequestStatus = 'WITHDRAWN'`),
      ]);
      return approved.includes(a.workflowId) && denied.includes(d.workflowId) && withdrawn.includes(w.workflowId);
    }, 60_000, 500);
  });

  it(`loses and doubles nothing when one instance of each service is killed (SIGKILL) with ${LOAD} requests in flight`, async () => {
    const killed = SERVICES.map((s) => `${s}-1`);
    await loadWith(async () => {
      await Promise.all(killed.map((name) => r.kill(name)));
      await Promise.all(killed.map((name) => r.start(name)));
    });
  });

  it(`completes everything when the Temporal server is killed and restarted with ${LOAD} requests in flight`, async () => {
    await loadWith(async () => {
      await r.temporal.stop({ kill: true });
      await r.temporal.start();
    });
  });

  it('answers 503 while NATS is down, and recovers when it is back, without a restart of any service', async () => {
    const pids = new Map([...r.instances].map(([n, i]) => [n, i.process.child.pid]));
    const [org] = await organizations(1);
    const { requester, asOfficial, asRequester } = await people([org]);
    await r.nats.stop({ kill: true });
    const during = await asRequester.once('POST', '/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' }, { 'idempotency-key': randomUUID() });
    expect(during.status).toBe(503);
    expect((await gateways.once('GET', '/health')).status).toBe(503);
    await r.nats.start();
    const after = await asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' }, { withinMs: 60_000 });
    expect(after.status).toBe(201);
    expect((await asOfficial.post(`/api/v1/role-requests/${after.body.id}/approve`)).status).toBe(200);
    await exactlyOnce(requester.email, [`Your request for the Staff User role at ${org.name} was approved`]);
    expect(new Map([...r.instances].map(([n, i]) => [n, i.process.child.pid]))).toEqual(pids);
  });

  it('answers 503 while PostgreSQL is down for 10 s, and finishes what was in flight when it is back', async () => {
    const pids = new Map([...r.instances].map(([n, i]) => [n, i.process.child.pid]));
    const orgs = await organizations(20);
    const { requester, asOfficial, asRequester } = await people(orgs);
    const submitted = await Promise.all(orgs.map((org) => asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' })));
    expect(submitted.map((s) => s.status)).toEqual(orgs.map(() => 201));
    // Decided, and PostgreSQL stopped while the workflows record the decisions and send the emails.
    const [late] = await organizations(1);
    const decided = await Promise.all(submitted.map((s) => asOfficial.post(`/api/v1/role-requests/${s.body.id}/approve`)));
    expect(decided.map((d) => d.status)).toEqual(orgs.map(() => 200));
    await r.postgres.stop();
    const outageEnds = Date.now() + 10_000;
    const during = await asRequester.once('POST', '/api/v1/role-requests', { organizationId: late.id, role: 'STAFF_USER' }, { 'idempotency-key': randomUUID() });
    expect(during.status).toBe(503);
    // The outage lasts its 10 seconds whatever the callers do.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, outageEnds - Date.now())));
    await r.postgres.start();
    const after = await asRequester.post('/api/v1/role-requests', { organizationId: late.id, role: 'STAFF_USER' }, { withinMs: 60_000 });
    expect(after.status).toBe(201);
    await exactlyOnce(requester.email, [
      ...orgs.map((o) => `Your request for the Staff User role at ${o.name} was approved`),
      `Your request for the Staff User role at ${late.name} was submitted`,
    ]);
    expect(new Map([...r.instances].map(([n, i]) => [n, i.process.child.pid]))).toEqual(pids);
  });
});
