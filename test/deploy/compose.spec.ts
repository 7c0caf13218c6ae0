// No Docker engine runs on our machines, so docker-compose.yml and the Dockerfile are checked by
// reading them: every service is there, built and run as the code expects, every variable it is
// given is one its configuration reads and accepts, and everything is pinned and health-checked.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  generateStackSecrets,
  interpolate as composeInterpolate,
  NOT_REHEARSED,
  processEnvironment,
  readCompose,
  REHEARSED_PARTS,
  REPO_ROOT,
  SEARCH_ATTRIBUTES,
  TEMPORAL_SERVER_VERSION,
  type Placement,
} from '@am/devstack';
/* eslint-disable @nx/enforce-module-boundaries -- this test reads each service's own configuration schema */
import { accessWorkflowsConfigShape, loadAccessWorkflowsConfig } from '../../services/access-workflows/src/config/access-workflows.config';
import { gatewayConfigShape, loadGatewayConfig } from '../../services/api-gateway/src/config/gateway.config';
import { directoryConfigShape, loadDirectoryConfig } from '../../services/directory/src/config/directory.config';
import { loadNotificationsConfig, notificationsConfigShape } from '../../services/notifications/src/config/notifications.config';
import { SEARCH_ATTRIBUTE_KEYS } from '../../services/access-workflows/src/workflows/search-attributes';
/* eslint-enable @nx/enforce-module-boundaries */

const compose = readCompose();
const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const appServices = readdirSync(join(REPO_ROOT, 'services'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(REPO_ROOT, 'services', d.name, 'package.json')))
  // services/web is no process of its own: its static build is served by the api-gateway.
  .filter((d) => d.name !== 'web')
  .map((d) => d.name);

const configOf: Record<string, { keys: string[]; load: (env: NodeJS.ProcessEnv) => unknown }> = {
  directory: { keys: Object.keys(directoryConfigShape), load: loadDirectoryConfig },
  'access-workflows': { keys: Object.keys(accessWorkflowsConfigShape), load: loadAccessWorkflowsConfig },
  notifications: { keys: Object.keys(notificationsConfigShape), load: loadNotificationsConfig },
  'api-gateway': { keys: Object.keys(gatewayConfigShape), load: loadGatewayConfig },
};

// An operator's .env: the keys scripts/stack-secrets.mjs makes (a set made the same way) and a
// NATS password; everything else takes compose's defaults.
const operatorVars: Record<string, string> = { ...generateStackSecrets(), NATS_PASSWORD: 'set-by-operator' };
const interpolate = (value: string) => composeInterpolate(value, operatorVars);

// The certificates the stack's internal-certs job issues, made here by the same script, so the
// services' configuration can be loaded as in the stack (it reads and checks the files).
let pki: string;
beforeAll(() => {
  pki = mkdtempSync(join(tmpdir(), 'am-compose-pki-'));
  execFileSync('sh', [join(REPO_ROOT, 'scripts', 'internal-certs.sh'), pki, 'nats', ...appServices], { stdio: 'ignore' });
});
afterAll(() => rmSync(pki, { recursive: true, force: true }));

/** A service's /certs/<file> is its own volume of the internal-certs job: here, pki/<service>/<file>. */
function inStack(service: string, env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.startsWith('/certs/') ? join(pki, service, basename(v)) : interpolate(v)]));
}

describe('docker-compose.yml', () => {
  it('runs every service of services/ from the Dockerfile with its own SERVICE', () => {
    expect(appServices.sort()).toEqual(Object.keys(configOf).sort());
    for (const name of appServices) {
      expect(compose.services[name]?.build).toEqual({ context: '.', args: { SERVICE: name } });
    }
  });

  it('brings the infrastructure: the Temporal server on PostgreSQL, Temporal UI, PostgreSQL, NATS, Mailpit', () => {
    const images = Object.values(compose.services).map((s) => s.image ?? '');
    for (const expected of ['temporalio/server:', 'temporalio/admin-tools:', 'temporalio/ui:', 'postgres:', 'nats:', 'axllent/mailpit:']) {
      expect(images.some((i) => i.startsWith(expected))).toBe(true);
    }
    // auto-setup is deprecated upstream and no longer updated (issue 21).
    expect(images.filter((i) => i.startsWith('temporalio/auto-setup'))).toEqual([]);
    expect(compose.services.temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
  });

  it('runs the Temporal server and admin tools at the version the rehearsal builds', () => {
    const version = TEMPORAL_SERVER_VERSION.replace(/^v/, '');
    expect(compose.services.temporal.image).toBe(`temporalio/server:${version}`);
    for (const job of ['temporal-schema', 'temporal-setup']) expect(compose.services[job].image).toBe(`temporalio/admin-tools:${version}`);
    expect(readFileSync(join(REPO_ROOT, 'scripts', 'ensure-temporal.mjs'), 'utf8')).toContain(`TEMPORAL_SERVER_VERSION = '${TEMPORAL_SERVER_VERSION}'`);
  });

  it('sets Temporal up in one-shot jobs: the schemas before the server starts, the namespace and search attributes after it answers, the services after both', () => {
    const needs = (name: string) => compose.services[name].depends_on as Record<string, { condition: string }>;
    expect(compose.services['temporal-schema'].entrypoint).toEqual(['sh', '/deploy/temporal/setup-schema.sh']);
    expect(compose.services['temporal-setup'].entrypoint).toEqual(['sh', '/deploy/temporal/setup-namespace.sh']);
    for (const f of ['setup-schema.sh', 'setup-namespace.sh', 'dynamicconfig/production.yaml']) expect(existsSync(join(REPO_ROOT, 'deploy', 'temporal', f))).toBe(true);
    expect(needs('temporal-schema')).toEqual({ postgresql: { condition: 'service_healthy' } });
    expect(needs('temporal')).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully' } });
    expect(needs('temporal-setup')).toEqual({ temporal: { condition: 'service_healthy' } });
    for (const name of appServices.filter((n) => n !== 'api-gateway')) expect(needs(name)['temporal-setup']).toEqual({ condition: 'service_completed_successfully' });
    // The schema job and the server read the same database settings.
    expect(compose.services.temporal.environment).toMatchObject(compose.services['temporal-schema'].environment!);
    expect(compose.services.temporal.environment?.DYNAMIC_CONFIG_FILE_PATH).toBe('/deploy/temporal/dynamicconfig/production.yaml');
  });

  it('registers the search attributes the workflows set, the same ones the dev server gets', () => {
    const registered = compose.services['temporal-setup'].environment!.SEARCH_ATTRIBUTES.split(' ');
    expect(registered).toEqual(SEARCH_ATTRIBUTES);
    expect(registered.map((a) => a.split('=')[0]).sort()).toEqual(Object.values(SEARCH_ATTRIBUTE_KEYS).map((k) => k.name).sort());
    expect(compose.services['temporal-setup'].environment?.TEMPORAL_NAMESPACE).toBe(compose.services.directory.environment?.TEMPORAL_NAMESPACE);
  });

  it('pins every image to a version', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      if (!s.image) continue;
      expect({ name, pinned: /:[0-9v][\w.-]*$/.test(s.image) && !s.image.endsWith(':latest') }).toEqual({ name, pinned: true });
    }
  });

  it.each(Object.keys(configOf))('gives %s only variables its configuration reads, and values it accepts', (name) => {
    const env = compose.services[name].environment ?? {};
    const unknown = Object.keys(env).filter((k) => !configOf[name].keys.includes(k));
    expect(unknown).toEqual([]);
    // In production mode, as the stack runs: this also proves the stack meets production's demands
    // on the internal transports (NATS beyond loopback: TLS and credentials).
    expect(env.NODE_ENV).toBe('production');
    expect(() => configOf[name].load(inStack(name, env))).not.toThrow();
  });

  it('restarts every long-running part after a crash, and gives the services time to drain', () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      const oneShot = svc.restart === 'no';
      expect({ name, restart: svc.restart }).toEqual({ name, restart: oneShot ? 'no' : 'unless-stopped' });
    }
    for (const name of appServices) expect(compose.services[name].stop_grace_period).toBe('45s');
  });

  it.each(Object.keys(configOf))('health-checks %s with its own healthcheck script', (name) => {
    expect(compose.services[name].healthcheck?.test).toEqual(['CMD', 'node', `services/${name}/dist/healthcheck.js`]);
    expect(existsSync(join(REPO_ROOT, 'services', name, 'src', 'healthcheck.ts'))).toBe(true);
  });

  it('publishes the gateway on the port it listens on', () => {
    const gw = compose.services['api-gateway'];
    expect(gw.environment?.GATEWAY_HOST).toBe('0.0.0.0');
    expect(gw.ports).toEqual([`${gw.environment?.GATEWAY_PORT}:${gw.environment?.GATEWAY_PORT}`]);
  });

  it('publishes only the gateway on every interface, the two web UIs on the host’s loopback, and nothing else', () => {
    const published = Object.fromEntries(Object.entries(compose.services).filter(([, s]) => s.ports?.length).map(([n, s]) => [n, s.ports]));
    expect(published).toEqual({
      'api-gateway': ['3000:3000'],
      'temporal-ui': ['127.0.0.1:8233:8080'],
      mailpit: ['127.0.0.1:8025:8025'],
    });
    for (const [name, ports] of Object.entries(published)) {
      if (name !== 'api-gateway') for (const p of ports ?? []) expect(p).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('runs NATS with TLS, client certificates and credentials that have no default in the file', () => {
    const cmd = compose.services.nats.command ?? [];
    const flag = (f: string) => cmd[cmd.indexOf(f) + 1];
    expect(cmd).toEqual(expect.arrayContaining(['--tls', '--tlsverify']));
    expect(flag('--user')).toBe('${NATS_USER:-access_manager}');
    expect(flag('--pass')).toMatch(/^\$\{NATS_PASSWORD:\?[^}]+\}$/);
    expect([flag('--tlscert'), flag('--tlskey'), flag('--tlscacert')]).toEqual(['/certs/tls.crt', '/certs/tls.key', '/certs/ca.crt']);
    expect(compose.services.nats.volumes).toEqual(['certs-nats:/certs:ro']);
    expect(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8')).not.toMatch(/NATS_(PASSWORD|TOKEN):-/);
    for (const name of appServices) {
      expect(compose.services[name].environment).toMatchObject({
        NATS_USER: flag('--user'),
        NATS_PASSWORD: flag('--pass'),
        NATS_TLS_CA_FILE: '/certs/ca.crt',
        NATS_TLS_CERT_FILE: '/certs/tls.crt',
        NATS_TLS_KEY_FILE: '/certs/tls.key',
      });
    }
  });

  it('issues every certificate in a one-shot job that alone holds the CA key; each service mounts only its own', () => {
    const job = compose.services['internal-certs'];
    expect(job.entrypoint).toEqual(['sh', '/internal-certs.sh']);
    expect(job.volumes).toContain('./scripts/internal-certs.sh:/internal-certs.sh:ro');
    expect(job.environment?.CA_DIR).toBe('/ca');
    expect(job.command?.slice(1).sort()).toEqual(['nats', ...appServices].sort());
    for (const name of job.command!.slice(1)) expect(job.volumes).toContain(`certs-${name}:${job.command![0]}/${name}`);
    for (const [name, s] of Object.entries(compose.services)) {
      const mounts = s.volumes ?? [];
      if (name !== 'internal-certs') expect({ name, ca: mounts.some((v) => v.startsWith('internal-ca:')) }).toEqual({ name, ca: false });
      if (name === 'nats' || appServices.includes(name)) {
        expect(mounts.filter((v) => v.startsWith('certs-'))).toEqual([`certs-${name}:/certs:ro`]);
        expect((s.depends_on as Record<string, unknown>)['internal-certs']).toEqual({ condition: 'service_completed_successfully' });
      }
    }
  });

  it('points the services at the stack’s own Temporal, NATS, database and mail server', () => {
    for (const name of appServices) {
      expect(compose.services[name].environment).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233', TRANSPORT: 'nats', NATS_URL: 'nats://nats:4222' });
    }
    expect(interpolate(compose.services.directory.environment!.DATABASE_URL)).toMatch(/@postgresql:5432\//);
    expect(compose.services.notifications.environment?.SMTP_URL).toBe('smtp://mailpit:1025');
  });
});

describe('the rehearsal (npm run rehearse) against docker-compose.yml', () => {
  it('runs every part of the file but the Temporal UI', () => {
    expect([...REHEARSED_PARTS, ...NOT_REHEARSED].sort()).toEqual(Object.keys(compose.services).sort());
  });

  it('gives each part the environment compose gives it, with only the addresses changed', () => {
    const placements: Record<string, Placement> = Object.fromEntries(Object.keys(compose.services).map((n) => [n, { host: '127.0.0.1', ports: {} as Record<number, number> }]));
    placements.postgresql.ports = { 5432: 15432 };
    placements.temporal.ports = { 7233: 17233, 9090: 19090 };
    placements.nats.ports = { 4222: 14222 };
    placements.mailpit.ports = { 1025: 11025 };
    for (const name of REHEARSED_PARTS) {
      const given = compose.services[name].environment ?? {};
      const rehearsed = processEnvironment(compose, name, { vars: operatorVars, placements, certDir: `/pki/${name}` });
      expect(Object.keys(rehearsed).sort()).toEqual(Object.keys(given).sort());
      for (const [k, v] of Object.entries(rehearsed)) {
        const composeValue = interpolate(given[k]);
        // Same value, or the same value with another service's address (or its own 0.0.0.0) or a mounted file placed here.
        const placed = composeValue
          .replace(/(postgresql|temporal|nats|mailpit):(\d+)/g, (_, n: string, p: string) => `127.0.0.1:${placements[n].ports[Number(p)]}`)
          .replace(/^0\.0\.0\.0:(\d+)$/, (_, p: string) => `127.0.0.1:${placements[name].ports[Number(p)]}`)
          .replace(/^(postgresql|temporal|nats|mailpit)$/, (h) => (/(_SEEDS|_HOST)$/.test(k) ? '127.0.0.1' : h))
          .replace(/^0\.0\.0\.0$/, '127.0.0.1')
          .replace(/^\/certs\//, `/pki/${name}/`)
          .replace(/^\/deploy\//, `${REPO_ROOT}/deploy/`);
        expect({ name, k, v }).toEqual({ name, k, v: placed });
      }
    }
  });
});

describe('Dockerfile', () => {
  it('is multi-stage, on a pinned base image, runs as a non-root user and has a healthcheck', () => {
    const froms = dockerfile.match(/^FROM\s+\S+/gm) ?? [];
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const f of froms) expect(f).toMatch(/:\d+\.\d+\.\d+/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*healthcheck\.js/m);
  });
});
