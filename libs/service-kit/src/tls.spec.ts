// The internal-trust variables (docs/SECURITY.md): checked at start-up, all problems listed at once,
// and production refuses internal transports that would cross hosts in the clear. The
// certificates are made by the same script the compose stack runs (scripts/internal-certs.sh).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { Transport } from '@nestjs/microservices';
import { commonShape, loadConfig } from './config';
import { temporalConnectionOptions } from './temporal-connection';
import { isLoopbackHost, natsSecurity } from './tls';
import { clientOptions, describeTransport, serverTransport } from './transport';

const script = join(__dirname, '..', '..', '..', 'scripts', 'internal-certs.sh');
let dir: string;
let ours: { ca: string; cert: string; key: string };
let theirs: { ca: string; cert: string; key: string };

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(commonShape, env);
  } catch (e) {
    return (e as Error).message.split('\n').slice(1).map((l) => l.trim());
  }
  return [];
}
const named = (env: NodeJS.ProcessEnv) => problemsOf(env).map((l) => l.split(':')[0]);
const tls = () => ({ INTERNAL_TLS_CA_FILE: ours.ca, INTERNAL_TLS_CERT_FILE: ours.cert, INTERNAL_TLS_KEY_FILE: ours.key });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'am-tls-spec-'));
  execFileSync('sh', [script, join(dir, 'ours'), 'svc'], { stdio: 'ignore' });
  execFileSync('sh', [script, join(dir, 'theirs'), 'svc'], { stdio: 'ignore' });
  const files = (pki: string) => ({ ca: join(dir, pki, 'svc', 'ca.crt'), cert: join(dir, pki, 'svc', 'tls.crt'), key: join(dir, pki, 'svc', 'tls.key') });
  ours = files('ours');
  theirs = files('theirs');
  writeFileSync(join(dir, 'not-pem.txt'), 'hello');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('internal TLS configuration', () => {
  it('is off by default: plain TCP, NATS without credentials, Temporal without TLS', () => {
    const c = loadConfig(commonShape, {});
    expect(c.INTERNAL_TLS_CA_FILE).toBeUndefined();
    expect(serverTransport(c, 'directory')).toEqual({ transport: Transport.TCP, options: { host: '127.0.0.1', port: 4001 } });
    expect(natsSecurity(c)).toEqual({});
    expect(temporalConnectionOptions(c)).toEqual({ address: '127.0.0.1:7233' });
  });

  it('treats an empty variable as unset', () => {
    expect(problemsOf({ INTERNAL_TLS_CA_FILE: '', NATS_USER: '', TEMPORAL_TLS_SERVER_NAME: '' })).toEqual([]);
  });

  it('reads the three files once, and the TCP transport then uses mutual TLS both ways', () => {
    const c = loadConfig(commonShape, tls());
    expect(c.INTERNAL_TLS_CA_FILE?.pem).toContain('BEGIN CERTIFICATE');
    const server = serverTransport(c, 'directory') as { options: { tlsOptions?: Record<string, unknown> } };
    expect(server.options.tlsOptions).toMatchObject({ requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' });
    const client = clientOptions(c, 'directory') as { options: { tlsOptions?: Record<string, unknown> } };
    expect(client.options.tlsOptions).toMatchObject({ rejectUnauthorized: true });
    expect(client.options.tlsOptions?.secureContext).toBeDefined();
    expect(describeTransport(c, 'directory')).toBe('TCP 127.0.0.1:4001 (mutual TLS)');
  });

  it('never shows a key in JSON or in a logged object', () => {
    const c = loadConfig(commonShape, tls());
    expect(JSON.stringify(c)).not.toContain('PRIVATE KEY');
    expect(inspect(c)).not.toContain('PRIVATE KEY');
    expect(JSON.stringify(c.INTERNAL_TLS_KEY_FILE)).toBe(JSON.stringify({ path: ours.key }));
  });

  it('wants all three INTERNAL_TLS_* or none', () => {
    expect(named({ INTERNAL_TLS_CA_FILE: ours.ca })).toEqual(['INTERNAL_TLS_CERT_FILE', 'INTERNAL_TLS_KEY_FILE']);
    expect(named({ INTERNAL_TLS_CERT_FILE: ours.cert, INTERNAL_TLS_KEY_FILE: ours.key })).toEqual(['INTERNAL_TLS_CA_FILE']);
  });

  it('names files that are missing, not PEM, not a CA, or a key that is not the certificate’s', () => {
    const lines = problemsOf({
      INTERNAL_TLS_CA_FILE: ours.cert, // a leaf, not a CA
      INTERNAL_TLS_CERT_FILE: join(dir, 'missing.crt'),
      INTERNAL_TLS_KEY_FILE: join(dir, 'not-pem.txt'),
    });
    expect(lines).toEqual([
      `INTERNAL_TLS_CA_FILE: ${ours.cert} holds no CA certificate`,
      `INTERNAL_TLS_CERT_FILE: cannot read ${join(dir, 'missing.crt')} (ENOENT)`,
      `INTERNAL_TLS_KEY_FILE: ${join(dir, 'not-pem.txt')} is not an unencrypted PEM private key`,
    ]);
    expect(problemsOf({ ...tls(), INTERNAL_TLS_KEY_FILE: theirs.key })).toEqual([
      `INTERNAL_TLS_KEY_FILE: ${theirs.key} is not the key of INTERNAL_TLS_CERT_FILE (${ours.cert})`,
    ]);
  });

  it('wants client certificate and key together, NATS user and password together, and a token or a password', () => {
    expect(named({ NATS_TLS_CERT_FILE: ours.cert, TEMPORAL_TLS_KEY_FILE: ours.key, NATS_USER: 'svc' })).toEqual([
      'NATS_TLS_KEY_FILE',
      'TEMPORAL_TLS_CERT_FILE',
      'NATS_PASSWORD',
    ]);
    expect(named({ NATS_USER: 'svc', NATS_PASSWORD: 'p', NATS_TOKEN: 't' })).toEqual(['NATS_TOKEN']);
    expect(named({ NATS_URL: 'nats://svc:secret@127.0.0.1:4222' })).toEqual(['NATS_URL']);
  });
});

describe('production refuses internal transports in the clear between hosts', () => {
  const prod = { NODE_ENV: 'production' };

  it('allows plain TCP on loopback (npm start)', () => {
    expect(problemsOf({ ...prod, DIRECTORY_HOST: 'localhost', ACCESS_WORKFLOWS_HOST: '127.0.0.2', NOTIFICATIONS_HOST: '::1' })).toEqual([]);
  });

  it('refuses TCP beyond loopback without INTERNAL_TLS_*, naming the host', () => {
    const lines = problemsOf({ ...prod, DIRECTORY_HOST: 'directory.internal', NOTIFICATIONS_HOST: '0.0.0.0' });
    expect(lines.map((l) => l.split(':')[0])).toEqual(['INTERNAL_TLS_CA_FILE', 'INTERNAL_TLS_CERT_FILE', 'INTERNAL_TLS_KEY_FILE']);
    expect(lines[0]).toContain('DIRECTORY_HOST=directory.internal, NOTIFICATIONS_HOST=0.0.0.0');
    expect(problemsOf({ ...prod, ...tls(), DIRECTORY_HOST: 'directory.internal' })).toEqual([]);
    // The same hosts outside production: allowed (a developer's choice).
    expect(problemsOf({ DIRECTORY_HOST: 'directory.internal' })).toEqual([]);
  });

  it('refuses NATS beyond loopback without TLS and credentials', () => {
    const nats = { ...prod, TRANSPORT: 'nats', NATS_URL: 'nats://127.0.0.1:4222,nats://nats-2.internal:4222' };
    expect(named(nats)).toEqual(['NATS_TLS_CA_FILE', 'NATS_PASSWORD']);
    expect(named({ ...nats, NATS_TLS_CA_FILE: ours.ca })).toEqual(['NATS_PASSWORD']);
    expect(named({ ...nats, NATS_TOKEN: 't0ken' })).toEqual(['NATS_TLS_CA_FILE']);
    expect(problemsOf({ ...nats, NATS_TLS_CA_FILE: ours.ca, NATS_USER: 'svc', NATS_PASSWORD: 'secret' })).toEqual([]);
    expect(problemsOf({ ...prod, TRANSPORT: 'nats', NATS_URL: 'nats://127.0.0.1:4222' })).toEqual([]);
    // TRANSPORT=nats: the TCP hosts are not used, and not judged.
    expect(problemsOf({ ...nats, NATS_TOKEN: 't', NATS_TLS_CA_FILE: ours.ca, DIRECTORY_HOST: '10.1.2.3' })).toEqual([]);
  });

  it('lists every problem at once: invalid values, missing partners and production’s demands', () => {
    const shape = { ...commonShape };
    let message = '';
    try {
      loadConfig(shape, { ...prod, DIRECTORY_PORT: '70000', DIRECTORY_HOST: '10.1.2.3', NATS_USER: 'svc', TEMPORAL_TLS_CA_FILE: join(dir, 'missing.crt') });
    } catch (e) {
      message = (e as Error).message;
    }
    const lines = message.split('\n').slice(1).map((l) => l.trim().split(':')[0]);
    expect(lines.sort()).toEqual(['DIRECTORY_PORT', 'INTERNAL_TLS_CA_FILE', 'INTERNAL_TLS_CERT_FILE', 'INTERNAL_TLS_KEY_FILE', 'NATS_PASSWORD', 'TEMPORAL_TLS_CA_FILE'].sort());
  });
});

describe('NATS and Temporal options', () => {
  it('passes NATS credentials and TLS to the nats client', () => {
    const c = loadConfig(commonShape, { TRANSPORT: 'nats', NATS_USER: 'svc', NATS_PASSWORD: 'secret', NATS_TLS_CA_FILE: ours.ca, NATS_TLS_CERT_FILE: ours.cert, NATS_TLS_KEY_FILE: ours.key });
    const options = (serverTransport(c, 'notifications') as { options: Record<string, unknown> }).options;
    expect(options).toMatchObject({ queue: 'notifications', user: 'svc', pass: 'secret', tls: { ca: expect.stringContaining('BEGIN CERTIFICATE'), key: expect.stringContaining('PRIVATE KEY') } });
    expect(describeTransport(c, 'notifications')).toBe('NATS nats://127.0.0.1:4222 (queue group "notifications", TLS, user "svc")');
    expect(natsSecurity(loadConfig(commonShape, { NATS_TOKEN: 't0ken' }))).toEqual({ token: 't0ken' });
  });

  it('gives Temporal the CA, the client certificate pair and the server name', () => {
    const c = loadConfig(commonShape, { TEMPORAL_TLS_CA_FILE: ours.ca, TEMPORAL_TLS_CERT_FILE: ours.cert, TEMPORAL_TLS_KEY_FILE: ours.key, TEMPORAL_TLS_SERVER_NAME: 'temporal' });
    const { tls: t } = temporalConnectionOptions(c);
    expect(Buffer.from(t!.serverRootCACertificate!).toString()).toContain('BEGIN CERTIFICATE');
    expect(Buffer.from(t!.clientCertPair!.key).toString()).toContain('PRIVATE KEY');
    expect(t!.serverNameOverride).toBe('temporal');
    // A server name alone: TLS with the system's CAs.
    expect(temporalConnectionOptions(loadConfig(commonShape, { TEMPORAL_TLS_SERVER_NAME: 'temporal.example' })).tls).toEqual({ serverNameOverride: 'temporal.example' });
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.10.0.3', true],
    ['localhost', true],
    ['api.localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['directory', false],
    ['128.0.0.1', false],
    ['localhost.example.com', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
