import { Transport, type ClientOptions, type ClientProviderOptions, type MicroserviceOptions } from '@nestjs/microservices';
import type { CommonConfig } from './config';
import { natsSecurity, tcpClientTls, tcpServerTls } from './tls';

export type ServiceName = 'directory' | 'access-workflows' | 'notifications';

function endpoint(config: CommonConfig, service: ServiceName): { host: string; port: number } {
  switch (service) {
    case 'directory':
      return { host: config.DIRECTORY_HOST, port: config.DIRECTORY_PORT };
    case 'access-workflows':
      return { host: config.ACCESS_WORKFLOWS_HOST, port: config.ACCESS_WORKFLOWS_PORT };
    case 'notifications':
      return { host: config.NOTIFICATIONS_HOST, port: config.NOTIFICATIONS_PORT };
  }
}

function natsOptions(config: CommonConfig, service: ServiceName) {
  // One queue group per service: with several instances, NATS hands each message to one of them.
  // Credentials and TLS when configured (docs/SECURITY.md).
  // Reconnect for as long as it takes (every 2 s): an outage of NATS longer than the client's
  // default 10 attempts would otherwise leave the service cut off until restarted (the production
  // rehearsal restarts NATS under load, test/rehearsal).
  return {
    servers: config.NATS_URL.split(',').map((s) => s.trim()),
    queue: service,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 2_000,
    ...natsSecurity(config),
  };
}

/** The @nestjs/microservices transport a service listens on (TRANSPORT=tcp|nats); TCP with mutual TLS when INTERNAL_TLS_* are set. */
export function serverTransport(config: CommonConfig, service: ServiceName): MicroserviceOptions {
  if (config.TRANSPORT === 'nats') return { transport: Transport.NATS, options: natsOptions(config, service) };
  const tlsOptions = tcpServerTls(config);
  return { transport: Transport.TCP, options: { ...endpoint(config, service), ...(tlsOptions ? { tlsOptions } : {}) } };
}

/** How to reach another service over the configured transport (presenting this service's certificate when INTERNAL_TLS_* are set). */
export function clientOptions(config: CommonConfig, service: ServiceName): ClientOptions {
  if (config.TRANSPORT === 'nats') return { transport: Transport.NATS, options: natsOptions(config, service) };
  const tlsOptions = tcpClientTls(config);
  return { transport: Transport.TCP, options: { ...endpoint(config, service), ...(tlsOptions ? { tlsOptions } : {}) } };
}

/** A client of another service, registered under `token` with ClientsModule. */
export function clientTransport(config: CommonConfig, service: ServiceName, token: string): ClientProviderOptions {
  return { name: token, ...clientOptions(config, service) };
}

/** Where a service listens, for the start-up log. */
export function describeTransport(config: CommonConfig, service: ServiceName): string {
  if (config.TRANSPORT === 'nats') {
    const { tls, user, token } = natsSecurity(config);
    const auth = user ? `, user "${user}"` : token ? ', token' : ', no credentials';
    return `NATS ${config.NATS_URL} (queue group "${service}"${tls ? ', TLS' : ''}${auth})`;
  }
  const { host, port } = endpoint(config, service);
  return `TCP ${host}:${port}${config.INTERNAL_TLS_CA_FILE ? ' (mutual TLS)' : ''}`;
}
