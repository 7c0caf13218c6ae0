import { Connection, type ConnectionOptions, type TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { CommonConfig } from './config';

/** What a connection to Temporal needs from a service's configuration. */
export type TemporalConnectionConfig = Pick<
  CommonConfig,
  'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TLS_CA_FILE' | 'TEMPORAL_TLS_CERT_FILE' | 'TEMPORAL_TLS_KEY_FILE' | 'TEMPORAL_TLS_SERVER_NAME'
>;

/**
 * TLS to Temporal when any TEMPORAL_TLS_* is set: the server is verified against
 * TEMPORAL_TLS_CA_FILE (else the system's CAs) under TEMPORAL_TLS_SERVER_NAME (else the host of
 * TEMPORAL_ADDRESS), and the client presents TEMPORAL_TLS_CERT_FILE for mutual TLS.
 */
export function temporalTls(config: TemporalConnectionConfig): TLSConfig | undefined {
  const { TEMPORAL_TLS_CA_FILE: ca, TEMPORAL_TLS_CERT_FILE: cert, TEMPORAL_TLS_KEY_FILE: key, TEMPORAL_TLS_SERVER_NAME: serverName } = config;
  if (!ca && !cert && !key && !serverName) return undefined;
  return {
    ...(ca ? { serverRootCACertificate: Buffer.from(ca.pem) } : {}),
    ...(cert && key ? { clientCertPair: { crt: Buffer.from(cert.pem), key: Buffer.from(key.pem) } } : {}),
    ...(serverName ? { serverNameOverride: serverName } : {}),
  };
}

/** The address and TLS of the configured Temporal frontend, as both connection kinds take them. */
export function temporalConnectionOptions(config: TemporalConnectionConfig): { address: string; tls?: TLSConfig } {
  const tls = temporalTls(config);
  return { address: config.TEMPORAL_ADDRESS, ...(tls ? { tls } : {}) };
}

/** A client connection (start, signal, update, query workflows): every service connects through this. */
export function connectTemporalClient(config: TemporalConnectionConfig, extra: Omit<ConnectionOptions, 'address' | 'tls'> = {}): Promise<Connection> {
  return Connection.connect({ ...extra, ...temporalConnectionOptions(config) });
}

/** A worker's connection: every worker connects through this. */
export function connectTemporalWorker(config: TemporalConnectionConfig): Promise<NativeConnection> {
  return NativeConnection.connect(temporalConnectionOptions(config));
}

/** For the start-up log: where Temporal is and how the connection is secured. */
export function describeTemporalConnection(config: TemporalConnectionConfig): string {
  const tls = temporalTls(config);
  return `${config.TEMPORAL_ADDRESS}${tls ? (tls.clientCertPair ? ' (mutual TLS)' : ' (TLS)') : ''}`;
}
