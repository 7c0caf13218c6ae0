import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@am/devstack';

export interface CertFiles {
  ca: string;
  cert: string;
  key: string;
}

/**
 * A throwaway CA in `dir` and a certificate per name (SANs: the name, localhost, 127.0.0.1),
 * issued by scripts/internal-certs.sh, the script the compose stack runs (it needs openssl).
 */
export function issueCerts<N extends string>(dir: string, names: N[]): Record<N, CertFiles> {
  execFileSync('sh', [join(REPO_ROOT, 'scripts', 'internal-certs.sh'), dir, ...names], { stdio: 'pipe' });
  return Object.fromEntries(names.map((n) => [n, { ca: join(dir, n, 'ca.crt'), cert: join(dir, n, 'tls.crt'), key: join(dir, n, 'tls.key') }])) as Record<N, CertFiles>;
}

/** The INTERNAL_TLS_* (or NATS_TLS_*, TEMPORAL_TLS_*) variables for these files. */
export function tlsEnv(prefix: 'INTERNAL_TLS' | 'NATS_TLS' | 'TEMPORAL_TLS', files: CertFiles, parts: ('ca' | 'cert' | 'key')[] = ['ca', 'cert', 'key']): Record<string, string> {
  const names = { ca: 'CA_FILE', cert: 'CERT_FILE', key: 'KEY_FILE' } as const;
  return Object.fromEntries(parts.map((p) => [`${prefix}_${names[p]}`, files[p]]));
}
