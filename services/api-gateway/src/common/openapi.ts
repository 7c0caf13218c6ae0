import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document at /api/docs-json and its UI at /api/docs. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Access Manager API')
    .setDescription('Public API v1: sign-in, role requests and their decisions. Errors are {"error":{"code","message","field"}}.')
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'People: the accessToken from POST /api/v1/auth/mfa' })
    .addCookieAuth('am_session', { type: 'apiKey', in: 'cookie', name: 'am_session', description: 'The web UI: session cookie set by POST /api/v1/auth/mfa with session=cookie; unsafe methods also send X-CSRF-Token' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'Other systems: a key the help desk created, with scopes; X-On-Behalf-Of names the user for requests:submit' }, 'api-key')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });
}
