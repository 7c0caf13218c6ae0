// The same slice with the services talking over NATS instead of TCP (TRANSPORT=nats), against a
// real nats-server secured as in the compose stack (docs/SECURITY.md): TLS only, a client
// certificate of the CA required, and a user and password. Submit, approve through the Temporal
// Update, role granted, email received; and a client short of any of the three gets nothing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { connect, type ConnectionOptions } from 'nats';
import { firstValueFrom, timeout } from 'rxjs';
import { freePort, query, resolveNatsServer, startNatsServer, type NatsServer, type RunningServices } from '@am/devstack';
import { testStack } from '../setup/stack';
import { mailbox, signIn } from '../support/api';
import { startExtraStack } from '../support/extra-stack';
import { createOrganization, createUser, grantRole } from '../support/factories';
import { issueCerts, tlsEnv, type CertFiles } from '../support/pki';

describe('services over NATS', () => {
  let nats: NatsServer;
  let services: RunningServices;
  let dir: string;
  let certs: Record<'nats' | 'services', CertFiles>;
  let strangers: Record<'services', CertFiles>;
  const user = 'access_manager';
  const pass = `nats-pass-${process.pid}`;

  beforeAll(async () => {
    const binary = resolveNatsServer();
    if (!binary) throw new Error('nats-server is not installed (Debian package nats-server): `npm test` installs it where it can, or set NATS_SERVER');
    dir = mkdtempSync(join(tmpdir(), 'am-nats-'));
    certs = issueCerts(join(dir, 'ours'), ['nats', 'services']);
    strangers = issueCerts(join(dir, 'theirs'), ['services']);
    nats = await startNatsServer({
      binary,
      port: await freePort(),
      logFile: join(testStack().logDir, 'nats.log'),
      user,
      pass,
      tls: { cert: certs.nats.cert, key: certs.nats.key, ca: certs.nats.ca, verify: true },
    });
    services = await startExtraStack('nats', {
      TRANSPORT: 'nats',
      NATS_URL: nats.url,
      NATS_USER: user,
      NATS_PASSWORD: pass,
      ...tlsEnv('NATS_TLS', certs.services),
    });
  }, 120_000);

  afterAll(async () => {
    await services?.stop();
    await nats?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const pem = (f: string) => readFileSync(f, 'utf8');
  /** Connects, and says how it went: 'connected', or the error's code. */
  async function tryConnect(o: Partial<ConnectionOptions>): Promise<string> {
    try {
      const nc = await connect({ servers: nats.url, reconnect: false, timeout: 5000, ...o });
      await nc.flush();
      await nc.close();
      return 'connected';
    } catch (err) {
      return String((err as { code?: string }).code ?? err);
    }
  }

  it('lets in only a client with the credentials and a certificate of the CA', async () => {
    const tls = { ca: pem(certs.services.ca), cert: pem(certs.services.cert), key: pem(certs.services.key) };
    expect(await tryConnect({ user, pass, tls })).toBe('connected');
    // Without credentials, or with a wrong password: refused by the server.
    expect(await tryConnect({ tls })).toBe('AUTHORIZATION_VIOLATION');
    expect(await tryConnect({ user, pass: 'wrong', tls })).toBe('AUTHORIZATION_VIOLATION');
    // The right credentials, but no client certificate, or another CA's: refused in the handshake.
    expect(await tryConnect({ user, pass, tls: { ca: tls.ca } })).not.toBe('connected');
    expect(await tryConnect({ user, pass, tls: { ca: tls.ca, cert: pem(strangers.services.cert), key: pem(strangers.services.key) } })).not.toBe('connected');
    // A client that trusts another CA does not talk to this server.
    expect(await tryConnect({ user, pass, tls: { ca: pem(strangers.services.ca), cert: tls.cert, key: tls.key } })).not.toBe('connected');
    // A plain client with the right credentials: the server wants TLS first, and ends the connection.
    const plain = await new Promise<string>((resolve) => {
      const { hostname, port } = new URL(nats.url);
      const socket = createConnection(Number(port), hostname);
      let received = '';
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString();
        if (received.startsWith('INFO ') && received.includes('\r\n') && !received.includes('CONNECT-SENT')) {
          socket.write(`CONNECT ${JSON.stringify({ user, pass, verbose: false, pedantic: false })}\r\nPING\r\n`);
          received += 'CONNECT-SENT\n';
        }
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(received));
    });
    expect(plain).toMatch(/"tls_required":true/);
    expect(plain).not.toContain('PONG');
  });

  it('even with the credentials and a certificate, a message cannot decide for anybody without the gateway’s proof', async () => {
    const org = await createOrganization();
    const [official, requester] = await Promise.all([createUser(), createUser()]);
    await grantRole(official, org, 'SECURITY_OFFICIAL');
    const submitted = await (await signIn(requester, services.gatewayUrl)).post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    expect(submitted.status).toBe(201);
    // An insider's client: the bus lets it in, the services still refuse to act without a proof.
    const client = ClientProxyFactory.create({
      transport: Transport.NATS,
      options: { servers: [nats.url], user, pass, tls: { ca: pem(certs.services.ca), cert: pem(certs.services.cert), key: pem(certs.services.key) } },
    });
    try {
      const answer = await firstValueFrom(
        client.send('access-workflows.role-requests.decide', { requestId: submitted.body.id, deciderId: official.id, decision: 'APPROVE' }).pipe(timeout(20_000)),
      ).then(
        () => 'answered',
        (err: { code?: string }) => err.code,
      );
      expect(answer).toBe('UNAUTHENTICATED');
    } finally {
      await client.close();
    }
    const [row] = await query<{ status: string }>(testStack().databaseUrl, 'SELECT status::text FROM role_requests WHERE id = $1', [submitted.body.id]);
    expect(row.status).toBe('PENDING');
  });

  it('runs the request slice end to end', async () => {
    const org = await createOrganization();
    const official = await createUser({ displayName: 'Nora Nats' });
    const requester = await createUser();
    await grantRole(official, org, 'SECURITY_OFFICIAL');

    const asRequester = await signIn(requester, services.gatewayUrl);
    const submitted = await asRequester.post('/api/v1/role-requests', { organizationId: org.id, role: 'STAFF_USER' });
    expect(submitted.status).toBe(201);
    expect(submitted.body.approvers).toEqual(['Nora Nats']);

    const approved = await (await signIn(official, services.gatewayUrl)).post(`/api/v1/role-requests/${submitted.body.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('APPROVED');

    const rows = await query(testStack().databaseUrl, 'SELECT role FROM role_assignments WHERE user_id = $1', [requester.id]);
    expect(rows).toEqual([{ role: 'STAFF_USER' }]);
    const email = await mailbox().waitForMessage((m) => m.to.some((t) => t.address === requester.email) && !m.subject.endsWith('was submitted'));
    expect(email.subject).toContain('was approved');

    const health = await fetch(`${services.gatewayUrl}/health`).then((r) => r.json() as Promise<{ status: string }>);
    expect(health.status).toBe('ok');
  });
});
