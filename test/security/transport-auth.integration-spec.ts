// Internal trust, TCP and Temporal (docs/SECURITY.md): four service processes whose TCP transport
// runs with mutual TLS answer each other and a client holding a certificate of their CA, and give
// nothing to a plain client, a TLS client without a certificate or with another CA's, and are not
// trusted by a client that expects another CA. Temporal clients and workers connect through the
// shared helper with mutual TLS to a TLS front of the run's Temporal server that requires a client
// certificate, and fail without one. Production refuses to start TCP beyond loopback in the clear.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, createServer as createTlsServer, type ConnectionOptions, type Server as TlsServer } from 'node:tls';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS, type HealthReport } from '@am/contracts';
import { freePort, startServiceProcess, type RunningServices } from '@am/devstack';
import { call, clientOptions, commonShape, connectTemporalClient, connectTemporalWorker, loadConfig } from '@am/service-kit';
import { testStack } from '../setup/stack';
import { startExtraStack } from '../support/extra-stack';
import { issueCerts, tlsEnv, type CertFiles } from '../support/pki';

/** One framed @nestjs/microservices TCP message (JsonSocket: `<length>#<json>`). */
function frame(message: unknown): string {
  const json = JSON.stringify(message);
  return `${json.length}#${json}`;
}
const HEALTH = frame({ pattern: DIRECTORY_PATTERNS.health, data: {}, id: 'probe-1' });

/**
 * Sends the health message over a socket the moment it is usable, and resolves when the peer has
 * answered (a frame with our id) or the connection has ended, whichever comes first.
 */
function probe(open: () => Socket, readyEvent: 'connect' | 'secureConnect'): Promise<{ answered: boolean; received: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = open();
    let received = '';
    let error: string | undefined;
    const done = (answered: boolean) => {
      socket.destroy();
      resolve({ answered, received, error });
    };
    socket.once(readyEvent, () => socket.write(HEALTH));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('"id":"probe-1"') && received.includes('"response"')) done(true);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => (error = err.code ?? err.message));
    socket.on('close', () => done(false));
  });
}

describe('internal trust: TCP with mutual TLS', () => {
  let dir: string;
  let ours: Record<'services' | 'temporal', CertFiles>;
  let theirs: Record<'services', CertFiles>;
  let stack: RunningServices;
  let directoryPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'am-transport-auth-'));
    ours = issueCerts(join(dir, 'ours'), ['services', 'temporal']);
    theirs = issueCerts(join(dir, 'theirs'), ['services']);
    directoryPort = await freePort();
    stack = await startExtraStack('mtls', { ...tlsEnv('INTERNAL_TLS', ours.services), DIRECTORY_PORT: String(directoryPort) });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const tlsTo = (o: ConnectionOptions) => () => tlsConnect({ host: '127.0.0.1', port: directoryPort, minVersion: 'TLSv1.2', ...o });
  const pem = (f: string) => readFileSync(f, 'utf8');

  it('runs the four services over mutual TLS: the gateway reaches each of them', async () => {
    const health = await fetch(`${stack.gatewayUrl}/health`).then((r) => r.json() as Promise<{ status: string }>);
    expect(health.status).toBe('ok');
    const log = readFileSync(join(testStack().logDir, 'mtls', 'directory.log'), 'utf8');
    expect(log).toContain(`listening on TCP 127.0.0.1:${directoryPort} (mutual TLS)`);
  });

  it('answers a client that presents a certificate of the CA (the service-kit client, and a bare TLS socket)', async () => {
    const config = loadConfig(commonShape, { ...tlsEnv('INTERNAL_TLS', ours.services), DIRECTORY_PORT: String(directoryPort) });
    const client = ClientProxyFactory.create(clientOptions(config, 'directory'));
    try {
      const report = await call<HealthReport>(client, DIRECTORY_PATTERNS.health, {}, 10_000);
      expect(report.status).toBe('ok');
    } finally {
      await client.close();
    }
    // The probe below gets an answer when it may: so its silence in the next tests means refusal.
    const ok = await probe(tlsTo({ ca: pem(ours.services.ca), cert: pem(ours.services.cert), key: pem(ours.services.key) }), 'secureConnect');
    expect(ok).toMatchObject({ answered: true });
  });

  it('gives a plain TCP client nothing', async () => {
    const plain = await probe(() => netConnect(directoryPort, '127.0.0.1'), 'connect');
    expect(plain.answered).toBe(false);
    expect(plain.received).not.toContain('"response"');
    // And the service-kit client without TLS fails rather than waits.
    const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port: directoryPort } });
    try {
      await expect(call(client, DIRECTORY_PATTERNS.health, {}, 10_000)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    } finally {
      await client.close();
    }
  });

  it('gives a TLS client without a client certificate nothing', async () => {
    const res = await probe(tlsTo({ ca: pem(ours.services.ca) }), 'secureConnect');
    expect(res.answered).toBe(false);
    expect(res.received).toBe('');
    expect(res.error).toMatch(/CERTIFICATE_REQUIRED|ECONNRESET/);
  });

  it('gives a TLS client whose certificate another CA signed nothing', async () => {
    const res = await probe(tlsTo({ ca: pem(ours.services.ca), cert: pem(theirs.services.cert), key: pem(theirs.services.key) }), 'secureConnect');
    expect(res.answered).toBe(false);
    expect(res.received).toBe('');
  });

  it('a client does not trust a server whose certificate its CA did not sign', async () => {
    const res = await probe(tlsTo({ ca: pem(theirs.services.ca), cert: pem(theirs.services.cert), key: pem(theirs.services.key) }), 'secureConnect');
    expect(res).toMatchObject({ answered: false, received: '' });
    expect(res.error).toMatch(/CERT|SIGNED|VERIFY/i);
    // The service-kit client configured with the other CA refuses the directory too.
    const config = loadConfig(commonShape, { ...tlsEnv('INTERNAL_TLS', theirs.services), DIRECTORY_PORT: String(directoryPort) });
    const client = ClientProxyFactory.create(clientOptions(config, 'directory'));
    try {
      await expect(call(client, DIRECTORY_PATTERNS.health, {}, 10_000)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    } finally {
      await client.close();
    }
  });

  it('in production, refuses to start TCP beyond loopback without INTERNAL_TLS_*', async () => {
    const env = { ...testStack().serviceEnv, NODE_ENV: 'production', DIRECTORY_HOST: '0.0.0.0', DIRECTORY_PORT: String(await freePort()) };
    const logFile = join(testStack().logDir, 'mtls', 'directory-production-plain.log');
    const proc = startServiceProcess('directory', env, logFile);
    expect(await proc.exited).toBe(1);
    const log = readFileSync(logFile, 'utf8');
    for (const v of ['INTERNAL_TLS_CA_FILE', 'INTERNAL_TLS_CERT_FILE', 'INTERNAL_TLS_KEY_FILE']) expect(log).toContain(`${v}: required in production`);
  });

  describe('Temporal with mutual TLS', () => {
    let front: TlsServer;
    let address: string;
    let accepted = 0;

    // The dev server speaks no TLS: a TLS front that requires a client certificate of our CA
    // passes the authorised connections through to it, as a TLS-terminating proxy would.
    beforeAll(async () => {
      const [upstreamHost, upstreamPort] = testStack().temporalAddress.split(':');
      front = createTlsServer(
        { ca: pem(ours.temporal.ca), cert: pem(ours.temporal.cert), key: pem(ours.temporal.key), requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'] },
        (socket) => {
          accepted++;
          const upstream = netConnect(Number(upstreamPort), upstreamHost);
          socket.pipe(upstream).pipe(socket);
          socket.on('error', () => upstream.destroy());
          upstream.on('error', () => socket.destroy());
        },
      );
      const port = await freePort();
      await new Promise<void>((resolve) => front.listen(port, '127.0.0.1', resolve));
      address = `127.0.0.1:${port}`;
    });
    afterAll(() => new Promise<void>((resolve) => (front ? front.close(() => resolve()) : resolve())));

    const config = (env: Record<string, string>) => loadConfig(commonShape, { TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: testStack().temporalNamespace, ...env });

    it('connects clients and workers that present a certificate of the CA', async () => {
      const c = config(tlsEnv('TEMPORAL_TLS', ours.services));
      const client = await connectTemporalClient(c);
      try {
        const info = await client.workflowService.getSystemInfo({});
        expect(info.serverVersion).toBeTruthy();
      } finally {
        await client.close();
      }
      const worker = await connectTemporalWorker(c);
      await worker.close();
      expect(accepted).toBeGreaterThanOrEqual(2);
    });

    it('fails without a client certificate, with another CA’s, and without TLS', async () => {
      await expect(connectTemporalWorker(config(tlsEnv('TEMPORAL_TLS', ours.services, ['ca'])))).rejects.toThrow();
      await expect(connectTemporalWorker(config({ ...tlsEnv('TEMPORAL_TLS', theirs.services, ['cert', 'key']), TEMPORAL_TLS_CA_FILE: ours.services.ca }))).rejects.toThrow();
      await expect(connectTemporalWorker(config({}))).rejects.toThrow();
      await expect(connectTemporalClient(config(tlsEnv('TEMPORAL_TLS', ours.services, ['ca'])), { connectTimeout: 3000 })).rejects.toThrow();
    });
  });
});
