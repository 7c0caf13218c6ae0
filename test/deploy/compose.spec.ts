// No Docker engine runs on our machines, so docker-compose.yml and the Dockerfile are checked by
// reading them: every service is there, built and run as the code expects, every variable it is
// given is one its configuration reads and accepts, and everything is pinned and health-checked.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '@am/devstack';
/* eslint-disable @nx/enforce-module-boundaries -- this test reads each service's own configuration schema */
import { accessWorkflowsConfigShape, loadAccessWorkflowsConfig } from '../../services/access-workflows/src/config/access-workflows.config';
import { gatewayConfigShape, loadGatewayConfig } from '../../services/api-gateway/src/config/gateway.config';
import { directoryConfigShape, loadDirectoryConfig } from '../../services/directory/src/config/directory.config';
import { loadNotificationsConfig, notificationsConfigShape } from '../../services/notifications/src/config/notifications.config';
/* eslint-enable @nx/enforce-module-boundaries */

interface ComposeService {
  image?: string;
  build?: { context: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, unknown> | string[];
}

const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
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

/** Compose interpolation as an operator's .env would fill it: ${X:-default} -> default, ${X:?...} -> a value. */
function interpolate(value: string): string {
  return String(value)
    .replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')
    .replace(/\$\{AUTH_TOKEN_SECRET:\?[^}]*\}/g, 'a-production-secret-of-at-least-32-characters')
    .replace(/\$\{[A-Z_]+:\?[^}]*\}/g, 'set-by-operator');
}

describe('docker-compose.yml', () => {
  it('runs every service of services/ from the Dockerfile with its own SERVICE', () => {
    expect(appServices.sort()).toEqual(Object.keys(configOf).sort());
    for (const name of appServices) {
      expect(compose.services[name]?.build).toEqual({ context: '.', args: { SERVICE: name } });
    }
  });

  it('brings the infrastructure: Temporal on PostgreSQL, Temporal UI, PostgreSQL, NATS, Mailpit', () => {
    const images = Object.values(compose.services).map((s) => s.image ?? '');
    for (const expected of ['temporalio/auto-setup:', 'temporalio/ui:', 'postgres:', 'nats:', 'axllent/mailpit:']) {
      expect(images.some((i) => i.startsWith(expected))).toBe(true);
    }
    expect(compose.services.temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
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
    const filled = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(v)]));
    expect(() => configOf[name].load(filled)).not.toThrow();
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

  it('points the services at the stack’s own Temporal, NATS, database and mail server', () => {
    for (const name of appServices) {
      expect(compose.services[name].environment).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233', TRANSPORT: 'nats', NATS_URL: 'nats://nats:4222' });
    }
    expect(interpolate(compose.services.directory.environment!.DATABASE_URL)).toMatch(/@postgresql:5432\//);
    expect(compose.services.notifications.environment?.SMTP_URL).toBe('smtp://mailpit:1025');
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
