// docker-compose.yml is the one description of the production topology (issue 21): the compose
// stack runs it in containers, `npm run rehearse` runs it as processes on one host, reading this
// file for each part's environment, command and set-up jobs. What the processes change is only where
// things are: host names become 127.0.0.1, the ports become free ones (two instances of a service
// share one host), and a service's /certs volume becomes its folder of the same certificates.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './paths';

export interface ComposeService {
  image?: string;
  build?: { context: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition?: string }> | string[];
  command?: string[];
  entrypoint?: string[];
  volumes?: string[];
  restart?: string;
  stop_grace_period?: string;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.yml');

/** docker-compose.yml, with its YAML anchors and `<<` merges resolved. */
export function readCompose(file = COMPOSE_FILE): ComposeFile {
  return parse(readFileSync(file, 'utf8'), { merge: true }) as ComposeFile;
}

/**
 * Compose's interpolation: `${X}`, `${X:-default}`, `${X-default}`, `${X:?message}`, `${X?message}`,
 * and `$$` for a literal `$`. A required variable that `vars` does not give is an error naming it.
 */
export function interpolate(value: string, vars: Record<string, string | undefined>): string {
  return String(value).replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g, (whole, name: string | undefined, colon: string, op: string, arg: string) => {
    if (whole === '$$') return '$';
    const v = vars[name!];
    const unset = colon ? v === undefined || v === '' : v === undefined;
    if (op === '-') return unset ? arg : v!;
    if (op === '?') {
      if (unset) throw new Error(`${name} is required: ${arg}`);
      return v!;
    }
    return v ?? '';
  });
}

/** Where one compose service's process runs: its address, and its ports by the port compose gives it. */
export interface Placement {
  host: string;
  ports: Record<number, number>;
}

export interface ProcessEnvironmentOptions {
  /** The operator's variables (.env): what compose interpolates. */
  vars: Record<string, string | undefined>;
  /** Where each compose service runs, for the addresses in the values. */
  placements: Record<string, Placement>;
  /** The service's certificate folder, for its `/certs/<file>` (the internal-certs job's volume). */
  certDir?: string;
  /** The deploy/ folder, for `/deploy/<file>` (the read-only mount of the repository's deploy/). */
  deployDir?: string;
}

/**
 * A service's environment as compose sets it, with the addresses rewritten for processes on one host:
 * `name:port` of another service becomes its placement, a host variable (…_SEEDS, …_HOST) that
 * names a service becomes its host, 0.0.0.0 (every interface of a container) becomes 127.0.0.1, and the mounted
 * files become their folders here. Nothing else changes.
 */
export function processEnvironment(compose: ComposeFile, service: string, o: ProcessEnvironmentOptions): Record<string, string> {
  const definition = compose.services[service];
  if (!definition) throw new Error(`docker-compose.yml has no service ${service}`);
  return Object.fromEntries(Object.entries(definition.environment ?? {}).map(([k, v]) => [k, rewrite(compose, service, interpolate(String(v), o.vars), o, HOST_VARIABLE.test(k))]));
}

/** A service's command (a one-shot job's or nats-server's flags), interpolated and rewritten the same way. */
export function processCommand(compose: ComposeFile, service: string, o: ProcessEnvironmentOptions): string[] {
  return (compose.services[service]?.command ?? []).map((a) => rewrite(compose, service, interpolate(String(a), o.vars), o));
}

/** Variables whose value is a host name alone (POSTGRES_SEEDS: postgresql); elsewhere a service's name is just a word. */
const HOST_VARIABLE = /(_SEEDS|_HOST|_HOSTS)$/;

function rewrite(compose: ComposeFile, self: string, value: string, o: ProcessEnvironmentOptions, isHost = false): string {
  const names = Object.keys(compose.services);
  if (isHost && names.includes(value)) return placementOf(o, value).host;
  if (value === '0.0.0.0') return placementOf(o, self).host;
  // The service's own listener on every interface of its container: its placement here.
  const own = /^0\.0\.0\.0:(\d+)$/.exec(value);
  if (own) return `${placementOf(o, self).host}:${portOf(o, self, Number(own[1]))}`;
  const out = value.replace(/(^|[/@])([a-z][a-z0-9-]*):(\d+)/g, (whole, lead: string, name: string, port: string) => {
    if (!names.includes(name)) return whole;
    return `${lead}${placementOf(o, name).host}:${portOf(o, name, Number(port))}`;
  });
  if (out.startsWith('/certs/')) {
    if (!o.certDir) throw new Error(`${value}: no certificate folder given`);
    return join(o.certDir, out.slice('/certs/'.length));
  }
  if (out.startsWith('/deploy/')) return join(o.deployDir ?? join(REPO_ROOT, 'deploy'), out.slice('/deploy/'.length));
  return out;
}

function portOf(o: ProcessEnvironmentOptions, name: string, port: number): number {
  const mapped = placementOf(o, name).ports[port];
  if (mapped === undefined) throw new Error(`no port placed for ${name}:${port}`);
  return mapped;
}

function placementOf(o: ProcessEnvironmentOptions, name: string): Placement {
  const p = o.placements[name];
  if (!p) throw new Error(`no placement for the compose service ${name}`);
  return p;
}
