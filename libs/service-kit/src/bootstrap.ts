import { Logger, type DynamicModule, type INestApplication, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { CommonConfig } from './config';
import { JsonLogger, RequestContextInterceptor } from './logging';
import { serveOperatorCounters } from './operator-counters';
import { DomainRpcExceptionFilter } from './rpc';
import { describeTransport, serverTransport, type ServiceName } from './transport';

/** Closes the app on SIGINT/SIGTERM so workers drain and connections close before exit. */
export function closeOnSignals(app: INestApplication | INestMicroservice): void {
  app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
}

/** Starts a microservice on its transport, with domain errors translated for its callers. */
export async function runMicroservice(service: ServiceName, module: DynamicModule, config: CommonConfig): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(module, { ...serverTransport(config, service), logger: new JsonLogger(service) });
  app.useGlobalFilters(new DomainRpcExceptionFilter());
  app.useGlobalInterceptors(new RequestContextInterceptor());
  closeOnSignals(app);
  await app.listen();
  Logger.log(`${service} listening on ${describeTransport(config, service)}`, 'Bootstrap');
  return app;
}

/** Runs main, and ends the process with the error when it fails to start. Serves the operator counters when OPERATOR_COUNTERS_DIR is set. */
export function runMain(main: () => Promise<unknown>): void {
  serveOperatorCounters();
  main().catch((err: unknown) => {
    Logger.error(err instanceof Error ? err.stack : String(err), 'Bootstrap');
    process.exit(1);
  });
}
