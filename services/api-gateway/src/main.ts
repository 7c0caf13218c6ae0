import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { closeOnSignals, runMain } from '@am/service-kit';
import { AppModule } from './app.module';
import { HttpErrorFilter } from './common/http-error.filter';
import { setupOpenApi } from './common/openapi';
import { createValidationPipe } from './common/validation';
import { loadGatewayConfig } from './config/gateway.config';

runMain(async () => {
  const config = loadGatewayConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), { bodyParser: true });
  app.use(helmet({ contentSecurityPolicy: false }));
  app.useBodyParser('json', { limit: '100kb' });
  app.setGlobalPrefix('api/v1', { exclude: ['health'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
  setupOpenApi(app);
  closeOnSignals(app);
  await app.listen(config.GATEWAY_PORT, config.GATEWAY_HOST);
  Logger.log(`api-gateway listening on http://${config.GATEWAY_HOST}:${config.GATEWAY_PORT}`, 'Bootstrap');
});
