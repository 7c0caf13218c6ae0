// Issue 20: the OpenAPI document of the webhook routes, built from the gateway's own controller and
// held to the contract every integration test applies (test/support/openapi-contract.ts): answers
// shaped like the directory's views, nulls and all, conform; who may call each route is documented.
import { randomUUID } from 'node:crypto';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import SwaggerParser from '@apidevtools/swagger-parser';
import { DIRECTORY_CLIENT, WEBHOOK_EVENT_TYPES, type Page, type WebhookDeliveryView, type WebhookView, type WebhookWithSecret } from '@am/contracts';
/* eslint-disable @nx/enforce-module-boundaries -- this test builds the document from the gateway's own controller */
import { CallerProofs } from '../../services/api-gateway/src/auth/caller-proofs.service';
import { createOpenApiDocument } from '../../services/api-gateway/src/common/openapi';
import { WebhooksController } from '../../services/api-gateway/src/webhooks/webhooks.controller';
/* eslint-enable @nx/enforce-module-boundaries */
import { nullableMisuses, OpenApiContract } from '../support/openapi-contract';

@Module({ controllers: [WebhooksController], providers: [{ provide: DIRECTORY_CLIENT, useValue: {} }, { provide: CallerProofs, useValue: {} }] })
class WebhooksOnly {}

const BASE = 'http://gateway.test/api/v1/webhooks';
const now = new Date().toISOString();

const view = (over: Partial<WebhookView> = {}): WebhookView => ({
  id: randomUUID(),
  url: 'http://127.0.0.1:4000/hooks',
  description: null,
  events: ['role-request.decided'],
  organizationId: null,
  status: 'ACTIVE',
  statusReason: null,
  statusChangedAt: null,
  failingSince: null,
  previousSecretExpiresAt: null,
  secretRotatedAt: null,
  createdBy: { id: randomUUID(), displayName: 'QPP Service Center' },
  createdByApiKey: null,
  createdAt: now,
  updatedAt: now,
  ...over,
});
const delivery = (over: Partial<WebhookDeliveryView> = {}): WebhookDeliveryView => ({
  id: randomUUID(),
  webhookId: randomUUID(),
  eventId: 'evt_1',
  eventType: 'webhook.ping',
  status: 'PENDING',
  attempts: 0,
  lastResponseCode: null,
  lastAttemptAt: null,
  lastError: null,
  nextAttemptAt: null,
  deliveredAt: null,
  createdAt: now,
  ...over,
});

let app: INestApplication;
let doc: OpenAPIObject;
let contract: OpenApiContract;

beforeAll(async () => {
  app = await NestFactory.create(WebhooksOnly, { logger: false });
  app.setGlobalPrefix('api/v1');
  await app.init();
  // As served at /api/docs-json: JSON, without the keys @nestjs/swagger leaves undefined.
  doc = JSON.parse(JSON.stringify(createOpenApiDocument(app))) as OpenAPIObject;
  contract = new OpenApiContract(doc as never);
});
afterAll(() => app.close());

const answer = (method: string, path: string, status: number, body: unknown) =>
  contract.check({ method, url: `${BASE}${path}`, status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) }).problems;

describe('the webhook routes’ OpenAPI document (issue 20)', () => {
  it('is a valid OpenAPI 3 document that allows null only as OpenAPI 3.0.3 defines it', async () => {
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    expect(nullableMisuses(doc as never)).toEqual([]);
  });

  it('opens every webhook operation to people and to API keys with webhooks:manage, and documents 403, 404 where an id is named, and 429', () => {
    const ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op: op as Record<string, any> })));
    expect(ops.map((o) => o.name).sort()).toEqual(
      [
        'DELETE /api/v1/webhooks/{id}',
        'GET /api/v1/webhooks',
        'GET /api/v1/webhooks/{id}',
        'GET /api/v1/webhooks/{id}/deliveries',
        'PATCH /api/v1/webhooks/{id}',
        'POST /api/v1/webhooks',
        'POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver',
        'POST /api/v1/webhooks/{id}/rotate-secret',
        'POST /api/v1/webhooks/{id}/test',
      ].sort(),
    );
    for (const { name, op } of ops) {
      expect([name, op['x-api-key-scope'], op.security.flatMap((s: object) => Object.keys(s)).sort()]).toEqual([name, 'webhooks:manage', ['api-key', 'bearer', 'cookie']]);
      expect([name, op.description]).toEqual([name, expect.stringContaining('an API key with the scope `webhooks:manage`')]);
      for (const status of ['400', '401', '403', '429']) expect([name, status, Boolean(op.responses[status])]).toEqual([name, status, true]);
      if (name.includes('{id}')) expect([name, op.responses['404']?.description]).toEqual([name, expect.stringContaining('No subscription has this id')]);
    }
    const redeliver = doc.paths['/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver'].post!;
    expect(Object.keys(redeliver.responses['409'] && (redeliver.responses['409'] as any).content['application/json'].examples)).toContain('DELIVERY_IN_PROGRESS');
    expect(Object.keys(doc.paths['/api/v1/webhooks'].post!.responses)).toContain('201');
    for (const path of ['/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', '/api/v1/webhooks/{id}/test']) expect(Object.keys(doc.paths[path].post!.responses)).toContain('202');
    expect(Object.keys(doc.paths['/api/v1/webhooks/{id}/rotate-secret'].post!.responses)).toContain('200');
    const events = (doc.components!.schemas!.WebhookEventType as { enum: string[] }).enum;
    expect(events).toEqual([...WEBHOOK_EVENT_TYPES]);
  });

  it('holds the directory’s views to it, nulls and all: a subscription, one with its secret, a replay without it, pages, deliveries', () => {
    const id = randomUUID();
    const fresh: WebhookWithSecret = { ...view({ id }), secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' };
    const rotated = view({
      id,
      description: 'Registry',
      organizationId: randomUUID(),
      status: 'PAUSED',
      statusReason: 'Every delivery failed for 24 hours',
      statusChangedAt: now,
      failingSince: now,
      previousSecretExpiresAt: now,
      secretRotatedAt: now,
      createdByApiKey: { id: randomUUID(), name: 'Registry integration' },
      events: [...WEBHOOK_EVENT_TYPES],
    });
    const replayed: Partial<WebhookWithSecret> = { ...fresh };
    delete replayed.secret;
    const page = <T>(items: T[]): Page<T> => ({ items, page: 1, pageSize: 50, total: items.length });
    const delivered = delivery({ eventType: 'role-request.decided', status: 'DELIVERED', attempts: 3, lastResponseCode: 200, lastAttemptAt: now, deliveredAt: now, lastError: null });
    const failed = delivery({ status: 'FAILED', attempts: 9, lastResponseCode: null, lastAttemptAt: now, lastError: 'timed out after 10 s' });

    expect(answer('POST', '', 201, fresh)).toEqual([]);
    expect(answer('POST', '', 201, { ...replayed, secretWithheld: 'shown once' })).toEqual([]);
    expect(answer('GET', '', 200, page([view(), rotated]))).toEqual([]);
    expect(answer('GET', `/${id}`, 200, rotated)).toEqual([]);
    expect(answer('PATCH', `/${id}`, 200, rotated)).toEqual([]);
    expect(answer('DELETE', `/${id}`, 200, rotated)).toEqual([]);
    expect(answer('POST', `/${id}/rotate-secret`, 200, { ...rotated, secret: 'whsec_x' })).toEqual([]);
    expect(answer('GET', `/${id}/deliveries`, 200, page([delivery(), delivered, failed]))).toEqual([]);
    expect(answer('POST', `/${id}/deliveries/${randomUUID()}/redeliver`, 202, delivery({ nextAttemptAt: now }))).toEqual([]);
    expect(answer('POST', `/${id}/test`, 202, delivery())).toEqual([]);
    expect(answer('POST', `/${id}/deliveries/${randomUUID()}/redeliver`, 409, { error: { code: 'DELIVERY_IN_PROGRESS', message: 'still', details: { nextAttemptAt: now } } })).toEqual([]);
  });

  it('refuses answers that are not the views: a missing field, an unknown event or state, a secret that is not a string', () => {
    const missing: Partial<WebhookView> = view();
    delete missing.failingSince;
    expect(answer('GET', `/${randomUUID()}`, 200, missing)).not.toEqual([]);
    expect(answer('GET', `/${randomUUID()}`, 200, view({ status: 'GONE' as never }))).not.toEqual([]);
    expect(answer('GET', `/${randomUUID()}/deliveries`, 200, { items: [delivery({ eventType: 'role-request.approved' as never })], page: 1, pageSize: 50, total: 1 })).not.toEqual([]);
    expect(answer('POST', '', 201, { ...view(), secret: 42 })).not.toEqual([]);
    expect(answer('POST', `/${randomUUID()}/test`, 200, delivery())).not.toEqual([]);
  });
});
