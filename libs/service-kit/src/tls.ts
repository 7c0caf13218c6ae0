import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { createSecureContext, type ConnectionOptions, type TlsOptions } from 'node:tls';
import { z } from 'zod';
import type { CommonConfig } from './config';

/*
 * Internal trust (docs/SECURITY.md): the TCP transport with mutual TLS, NATS with credentials and
 * TLS, Temporal with mutual TLS, each when configured; and in production no internal transport
 * that would carry messages in the clear between hosts.
 */

/** A PEM file read once, when the configuration is loaded. Logs show its path, never its text. */
export class PemFile {
  constructor(
    readonly path: string,
    readonly pem: string,
  ) {}

  toJSON(): { path: string } {
    return { path: this.path };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `PemFile(${this.path})`;
  }
}

type PemKind = 'ca' | 'cert' | 'key';
const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Why a PEM file's text will not do, or undefined. */
function pemProblem(kind: PemKind, pem: string, now = Date.now()): string | undefined {
  if (kind === 'key') {
    try {
      createPrivateKey(pem);
      return undefined;
    } catch {
      return 'is not an unencrypted PEM private key';
    }
  }
  const blocks = pem.match(CERT_BLOCK) ?? [];
  if (blocks.length === 0) return 'holds no PEM certificate';
  let certs: X509Certificate[];
  try {
    certs = blocks.map((b) => new X509Certificate(b));
  } catch {
    return 'holds a certificate that does not parse';
  }
  if (kind === 'ca') {
    if (!certs.some((c) => c.ca)) return 'holds no CA certificate';
    if (certs.every((c) => Date.parse(c.validTo) < now)) return `every certificate in it has expired (the last on ${certs.at(-1)?.validTo})`;
    return undefined;
  }
  const leaf = certs[0];
  if (Date.parse(leaf.validTo) < now) return `expired on ${leaf.validTo}`;
  if (Date.parse(leaf.validFrom) > now) return `is not valid before ${leaf.validFrom}`;
  return undefined;
}

const blankIsUnset = (v: unknown) => (v === '' ? undefined : v);

/**
 * A path to a CA bundle, certificate or private key: read and checked when the configuration is
 * loaded, so a missing, unreadable, expired or malformed file stops the service at start-up, listed
 * with every other invalid variable. Empty means unset.
 */
export function pemFileVar(kind: PemKind) {
  return z.preprocess(blankIsUnset, z.string().optional()).transform((path, ctx): PemFile | undefined => {
    if (path === undefined) return undefined;
    let pem: string;
    try {
      pem = readFileSync(path, 'utf8');
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})` });
      return z.NEVER;
    }
    const problem = pemProblem(kind, pem);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: `${path} ${problem}` });
      return z.NEVER;
    }
    return new PemFile(path, pem);
  });
}

/** An optional string (a user name, a password, a token); empty means unset. */
export function optionalVar() {
  return z.preprocess(blankIsUnset, z.string().optional());
}

/** 127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z), localhost and *.localhost. 0.0.0.0 is not: it is every interface. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const v4 = h.startsWith('::ffff:') && isIPv4(h.slice(7)) ? h.slice(7) : h;
  if (isIPv4(v4)) return v4.startsWith('127.');
  if (isIPv6(h)) return new URL(`http://[${h}]`).hostname === '[::1]';
  return false;
}

/** The hosts of NATS_URL's servers (several: comma-separated). */
export function natsHosts(natsUrl: string): string[] {
  return natsUrl.split(',').map((s) => {
    try {
      return new URL(s.trim()).hostname;
    } catch {
      return s.trim();
    }
  });
}

export interface ConfigProblem {
  path: string;
  message: string;
}

/** A field schema that parses one variable on its own (a default applied), as commonShape's do. */
type FieldSchema = { safeParse(v: unknown): { success: boolean; data?: unknown } };

const INTERNAL_TLS = ['INTERNAL_TLS_CA_FILE', 'INTERNAL_TLS_CERT_FILE', 'INTERNAL_TLS_KEY_FILE'] as const;

/**
 * The rules between the transport variables, checked after each variable was checked on its own:
 * what must come together, and what production demands. `fields` are commonShape's schemas (the
 * variables they need are parsed one by one, so one invalid variable does not hide these
 * problems); `data` is the whole parsed configuration when it was valid (then the certificates are
 * also matched with their keys).
 */
export function internalTrustProblems(fields: Record<string, FieldSchema>, env: NodeJS.ProcessEnv, data?: Partial<CommonConfig>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });
  const set = (k: string) => typeof env[k] === 'string' && env[k] !== '';
  const value = <T>(k: string): T | undefined => {
    const r = fields[k]?.safeParse(env[k]);
    return r?.success ? (r.data as T) : undefined;
  };

  const internal = INTERNAL_TLS.filter(set);
  if (internal.length > 0 && internal.length < INTERNAL_TLS.length) {
    for (const k of INTERNAL_TLS.filter((k) => !set(k))) problem(k, 'set INTERNAL_TLS_CA_FILE, INTERNAL_TLS_CERT_FILE and INTERNAL_TLS_KEY_FILE together (mutual TLS), or none');
  }
  for (const prefix of ['NATS_TLS', 'TEMPORAL_TLS']) {
    const [cert, key] = [`${prefix}_CERT_FILE`, `${prefix}_KEY_FILE`];
    if (set(cert) !== set(key)) problem(set(cert) ? key : cert, `set ${cert} and ${key} together (the client certificate and its key), or neither`);
  }
  if (set('NATS_USER') !== set('NATS_PASSWORD')) problem(set('NATS_USER') ? 'NATS_PASSWORD' : 'NATS_USER', 'set NATS_USER and NATS_PASSWORD together, or neither');
  if (set('NATS_TOKEN') && (set('NATS_USER') || set('NATS_PASSWORD'))) problem('NATS_TOKEN', 'use NATS_TOKEN or NATS_USER/NATS_PASSWORD, not both');
  const natsUrl = value<string>('NATS_URL');
  if (natsUrl?.split(',').some((s) => /^[a-z]+:\/\/[^/]*@/i.test(s.trim()))) {
    problem('NATS_URL', 'must not carry credentials (they would be logged): use NATS_USER/NATS_PASSWORD or NATS_TOKEN');
  }

  if (value('NODE_ENV') === 'production') {
    const transport = value<string>('TRANSPORT');
    if (transport === 'tcp' && internal.length === 0) {
      const remote = ['DIRECTORY_HOST', 'ACCESS_WORKFLOWS_HOST', 'NOTIFICATIONS_HOST'].filter((k) => {
        const host = value<string>(k);
        return host !== undefined && !isLoopbackHost(host);
      });
      if (remote.length > 0) {
        const where = remote.map((k) => `${k}=${value<string>(k)}`).join(', ');
        for (const k of INTERNAL_TLS) problem(k, `required in production: TRANSPORT=tcp reaches beyond loopback (${where}), and messages must not cross hosts in the clear`);
      }
    }
    if (transport === 'nats' && natsUrl) {
      const remote = natsHosts(natsUrl).filter((h) => !isLoopbackHost(h));
      if (remote.length > 0) {
        const where = `NATS server ${remote.join(', ')}`;
        if (!set('NATS_TLS_CA_FILE') && !set('NATS_TLS_CERT_FILE')) problem('NATS_TLS_CA_FILE', `required in production (TLS to the ${where}, beyond loopback)`);
        if (!set('NATS_PASSWORD') && !set('NATS_TOKEN')) problem('NATS_PASSWORD', `NATS_USER/NATS_PASSWORD or NATS_TOKEN required in production (the ${where} is beyond loopback)`);
      }
    }
  }

  if (data) {
    for (const prefix of ['INTERNAL_TLS', 'NATS_TLS', 'TEMPORAL_TLS']) {
      const cert = data[`${prefix}_CERT_FILE` as keyof CommonConfig] as PemFile | undefined;
      const key = data[`${prefix}_KEY_FILE` as keyof CommonConfig] as PemFile | undefined;
      if (cert && key && !new X509Certificate(cert.pem).checkPrivateKey(createPrivateKey(key.pem))) {
        problem(`${prefix}_KEY_FILE`, `${key.path} is not the key of ${prefix}_CERT_FILE (${cert.path})`);
      }
    }
  }
  return problems;
}

const MIN_VERSION = 'TLSv1.2' as const;

/**
 * The TCP transport's TLS, when INTERNAL_TLS_* are set: the server asks every client for a
 * certificate and accepts only one the CA signed; a client presents its own and accepts only a
 * server certificate the CA signed for the host it dials.
 */
export function tcpServerTls(config: CommonConfig): TlsOptions | undefined {
  const { INTERNAL_TLS_CA_FILE: ca, INTERNAL_TLS_CERT_FILE: cert, INTERNAL_TLS_KEY_FILE: key } = config;
  if (!ca || !cert || !key) return undefined;
  return { ca: ca.pem, cert: cert.pem, key: key.pem, requestCert: true, rejectUnauthorized: true, minVersion: MIN_VERSION };
}

export function tcpClientTls(config: CommonConfig): ConnectionOptions | undefined {
  const { INTERNAL_TLS_CA_FILE: ca, INTERNAL_TLS_CERT_FILE: cert, INTERNAL_TLS_KEY_FILE: key } = config;
  if (!ca || !cert || !key) return undefined;
  // One secure context for every connection of this client (the PEM parsed once).
  return { secureContext: createSecureContext({ ca: ca.pem, cert: cert.pem, key: key.pem, minVersion: MIN_VERSION }), rejectUnauthorized: true };
}

/** NATS credentials and TLS as the nats client takes them (any NATS_TLS_* turns TLS on). */
export function natsSecurity(config: CommonConfig): { user?: string; pass?: string; token?: string; tls?: { ca?: string; cert?: string; key?: string } } {
  const auth = config.NATS_TOKEN ? { token: config.NATS_TOKEN } : config.NATS_USER ? { user: config.NATS_USER, pass: config.NATS_PASSWORD } : {};
  const { NATS_TLS_CA_FILE: ca, NATS_TLS_CERT_FILE: cert, NATS_TLS_KEY_FILE: key } = config;
  if (!ca && !cert) return auth;
  return { ...auth, tls: { ...(ca ? { ca: ca.pem } : {}), ...(cert && key ? { cert: cert.pem, key: key.pem } : {}) } };
}
