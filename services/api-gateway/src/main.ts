import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { closeOnSignals, JsonLogger, runMain } from '@am/service-kit';
import { AppModule } from './app.module';
import { HttpErrorFilter } from './common/http-error.filter';
import { requestLog } from './common/request-log.middleware';
import { useJsonBodies } from './common/request-body';
import { securityHeaders } from './common/security-headers';
import { setupOpenApi } from './common/openapi';
import { createValidationPipe } from './common/validation';
import { loadGatewayConfig } from './config/gateway.config';

runMain(async () => {
  const config = loadGatewayConfig();
  const logger = new JsonLogger('api-gateway');
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), { bodyParser: false, logger });
  // Behind a proxy, the client address the rate limits count is the one the proxy reports.
  if (config.TRUST_PROXY_HOPS > 0) app.set('trust proxy', config.TRUST_PROXY_HOPS);
  app.use(requestLog(logger));
  app.use(securityHeaders(config));
  app.use(cookieParser());
  if (config.CORS_ORIGINS.length) {
    app.enableCors({
      origin: config.CORS_ORIGINS,
      credentials: true,
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Api-Key', 'X-On-Behalf-Of', 'X-CSRF-Token', 'X-Request-Id'],
      exposedHeaders: ['Retry-After', 'X-Request-Id', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'Idempotent-Replayed'],
    });
  }
  // JSON bodies only, at most REQUEST_BODY_LIMIT_KB; bad ones answered 400/413/415 (request-body.ts).
  useJsonBodies(app, config.REQUEST_BODY_LIMIT_KB * 1024);
  app.setGlobalPrefix('api/v1', { exclude: ['health'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
  setupOpenApi(app);
  closeOnSignals(app);
  await app.listen(config.GATEWAY_PORT, config.GATEWAY_HOST);
  Logger.log(`api-gateway listening on http://${config.GATEWAY_HOST}:${config.GATEWAY_PORT}`, 'Bootstrap');
});
