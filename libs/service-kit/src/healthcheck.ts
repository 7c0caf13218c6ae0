import { ClientProxyFactory } from '@nestjs/microservices';
import type { HealthReport } from '@am/contracts';
import type { CommonConfig } from './config';
import { call } from './rpc';
import { clientOptions, type ServiceName } from './transport';

/**
 * A container healthcheck that asks the running service over its own transport (TCP or NATS)
 * for its health report; exits 0 only when the service answers "ok".
 */
export function runHealthcheck(config: CommonConfig, service: ServiceName, pattern: string): void {
  const client = ClientProxyFactory.create(clientOptions(config, service));
  call<HealthReport>(client, pattern, {}, 5000)
    .then((report) => {
      console.log(JSON.stringify(report));
      process.exit(report.status === 'ok' ? 0 : 1);
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    });
}
