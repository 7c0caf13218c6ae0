import { Transport, type ClientOptions, type ClientProviderOptions, type MicroserviceOptions } from '@nestjs/microservices';
import type { CommonConfig } from './config';

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
  return { servers: config.NATS_URL.split(',').map((s) => s.trim()), queue: service };
}

/** The @nestjs/microservices transport a service listens on (TRANSPORT=tcp|nats). */
export function serverTransport(config: CommonConfig, service: ServiceName): MicroserviceOptions {
  return config.TRANSPORT === 'nats'
    ? { transport: Transport.NATS, options: natsOptions(config, service) }
    : { transport: Transport.TCP, options: endpoint(config, service) };
}

/** How to reach another service over the configured transport. */
export function clientOptions(config: CommonConfig, service: ServiceName): ClientOptions {
  return config.TRANSPORT === 'nats'
    ? { transport: Transport.NATS, options: natsOptions(config, service) }
    : { transport: Transport.TCP, options: endpoint(config, service) };
}

/** A client of another service, registered under `token` with ClientsModule. */
export function clientTransport(config: CommonConfig, service: ServiceName, token: string): ClientProviderOptions {
  return { name: token, ...clientOptions(config, service) };
}

/** Where a service listens, for the start-up log. */
export function describeTransport(config: CommonConfig, service: ServiceName): string {
  if (config.TRANSPORT === 'nats') return `NATS ${config.NATS_URL} (queue group "${service}")`;
  const { host, port } = endpoint(config, service);
  return `TCP ${host}:${port}`;
}
