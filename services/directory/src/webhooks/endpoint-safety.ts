import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where a webhook may go (issue 20, SSRF): a public unicast address only. Loopback, private,
 * link-local (cloud metadata at 169.254.169.254), unique-local, carrier-grade NAT, multicast,
 * reserved and unspecified addresses are refused, also inside IPv4-mapped IPv6. Checked at
 * registration and again at every attempt on the addresses the name resolves to then, and the
 * connection goes to the address checked, so DNS rebinding cannot slip a private address in.
 */
export interface EndpointRules {
  /** Tests and local development only (WEBHOOK_ALLOW_PRIVATE): any address. */
  allowPrivate: boolean;
  /** Production: https only. */
  httpsOnly: boolean;
}

export class EndpointRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndpointRefused';
  }
}

/** ipaddr.js's range names of a public unicast address. */
const PUBLIC_RANGES = new Set(['unicast']);

/** Why this address may not be called, or null when it may. */
export function addressProblem(address: string): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  return PUBLIC_RANGES.has(range) ? null : `${address} is a ${range} address`;
}

/** The URL's form: absolute http(s), no credentials, no fragment; https in production. Returns the parsed URL. */
export function parseEndpointUrl(raw: string, rules: EndpointRules): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EndpointRefused('must be an absolute URL such as https://example.com/hooks');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new EndpointRefused('must be an http or https URL');
  if (rules.httpsOnly && url.protocol !== 'https:') throw new EndpointRefused('must be an https URL');
  if (url.username || url.password) throw new EndpointRefused('must not carry a user name or password');
  if (url.hash) throw new EndpointRefused('must not have a fragment (#…)');
  return url;
}

/** The host's addresses, each checked; refused when any is not public (a name that resolves to a private address is refused whole). */
export async function resolvePublic(hostname: string, rules: EndpointRules, resolve = lookupAll): Promise<LookupAddress[]> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolve(host);
  if (addresses.length === 0) throw new EndpointRefused(`${host} does not resolve to any address`);
  if (!rules.allowPrivate) {
    for (const a of addresses) {
      const problem = addressProblem(a.address);
      if (problem) throw new EndpointRefused(`${host} resolves to ${problem}: webhooks go to public addresses only`);
    }
  }
  return addresses;
}

function lookupAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => {
      if (err) reject(new EndpointRefused(`${host} does not resolve (${err.code ?? err.message})`));
      else resolve(addresses);
    }),
  );
}

/**
 * A `lookup` for node:http that resolves, checks every address and connects to the first: the
 * address checked is the address called.
 */
export function checkedLookup(rules: EndpointRules, resolve = lookupAll) {
  return (hostname: string, options: { all?: boolean }, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    resolvePublic(hostname, rules, resolve).then(
      (addresses) => (options.all ? callback(null, addresses) : callback(null, addresses[0]!.address, addresses[0]!.family)),
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}
