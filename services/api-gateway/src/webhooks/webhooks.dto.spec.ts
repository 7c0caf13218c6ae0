import { randomUUID } from 'node:crypto';
import type { ArgumentMetadata } from '@nestjs/common';
import { DomainError, WEBHOOK_EVENT_TYPES } from '@am/contracts';
import { createValidationPipe } from '../common/validation';
import { CreateWebhookDto, ListWebhookDeliveriesQueryDto, UpdateWebhookDto, WebhookDeliveryParams, assertSomethingToChange } from './webhooks.dto';

const pipe = createValidationPipe();

async function refusal(value: unknown, metatype: ArgumentMetadata['metatype'], type: ArgumentMetadata['type'] = 'body'): Promise<{ field?: string; message: string }> {
  try {
    await pipe.transform(value, { type, metatype });
  } catch (err) {
    if (err instanceof DomainError) return { field: err.field, message: err.message };
    throw err;
  }
  throw new Error(`accepted: ${JSON.stringify(value)}`);
}

const accepted = async <T>(value: unknown, metatype: new () => T, type: ArgumentMetadata['type'] = 'body') => (await pipe.transform(value, { type, metatype })) as T;

describe('webhook input (issue 20)', () => {
  const url = 'https://registry.example.com/hooks';
  const events = ['role-request.decided'];

  it('takes a registration within the directory’s bounds: url ≤ 2048, description ≤ 500, 1 to 8 distinct events', async () => {
    const max = `https://registry.example.com/${'p'.repeat(2048 - 'https://registry.example.com/'.length)}`;
    expect(max).toHaveLength(2048);
    const orgId = randomUUID();
    const dto = await accepted({ url: max, events: [...WEBHOOK_EVENT_TYPES], organizationId: orgId.toUpperCase(), description: 'd'.repeat(500) }, CreateWebhookDto);
    expect(dto).toEqual({ url: max, events: [...WEBHOOK_EVENT_TYPES], organizationId: orgId, description: 'd'.repeat(500) });
    expect(await accepted({ url: 'http://127.0.0.1:8080/hooks', events }, CreateWebhookDto)).toEqual({ url: 'http://127.0.0.1:8080/hooks', events });

    expect(await refusal({ url: `${max}x`, events }, CreateWebhookDto)).toEqual({ field: 'url', message: 'url must be at most 2048 characters' });
    expect(await refusal({ url, events, description: 'd'.repeat(501) }, CreateWebhookDto)).toEqual({ field: 'description', message: 'description must be at most 500 characters' });
  });

  it('refuses a url that is not an absolute http(s) URL, or carries credentials', async () => {
    for (const bad of ['', 'registry.example.com/hooks', 'ftp://registry.example.com/hooks', 'javascript:alert(1)', 'file:///etc/passwd', 'https://user:pw@registry.example.com/', 'https://']) {
      expect(await refusal({ url: bad, events }, CreateWebhookDto)).toMatchObject({ field: 'url', message: expect.stringContaining('url must be an absolute http(s) URL') });
    }
    expect(await refusal({ url: ['https://a.example'], events }, CreateWebhookDto)).toEqual({ field: 'url', message: 'url must be a string' });
    expect(await refusal({ events }, CreateWebhookDto)).toEqual({ field: 'url', message: 'url must be a string' });
  });

  it('names the rule events breaks first: the array, its size, duplicates, then each event', async () => {
    expect(await refusal({ url, events: 'role-request.decided' }, CreateWebhookDto)).toEqual({ field: 'events', message: 'events must be an array of event types' });
    expect(await refusal({ url, events: [] }, CreateWebhookDto)).toEqual({ field: 'events', message: 'events must name at least 1 event' });
    expect(await refusal({ url, events: [...WEBHOOK_EVENT_TYPES, 'role-request.decided'] }, CreateWebhookDto)).toEqual({ field: 'events', message: 'events must name at most 8 events' });
    expect(await refusal({ url, events: ['access.removed', 'access.removed'] }, CreateWebhookDto)).toEqual({ field: 'events', message: 'events must not name an event twice' });
    expect(await refusal({ url, events: ['access.removed', 'webhook.ping'] }, CreateWebhookDto)).toMatchObject({ field: 'events', message: expect.stringMatching(/^events must each be one of role-request\.submitted, /) });
    expect(await refusal({ url }, CreateWebhookDto)).toEqual({ field: 'events', message: 'events must be an array of event types' });
  });

  it('refuses null where a value or nothing belongs, and fields nobody asked for', async () => {
    expect(await refusal({ url, events, organizationId: null }, CreateWebhookDto)).toEqual({ field: 'organizationId', message: 'organizationId must be a UUID' });
    expect(await refusal({ url, events, description: null }, CreateWebhookDto)).toEqual({ field: 'description', message: 'description must be a string' });
    for (const extra of ['viewerId', 'apiKeyId', 'proof', 'secret', 'status']) {
      expect(await refusal({ url, events, [extra]: 'x' }, CreateWebhookDto)).toMatchObject({ field: extra });
    }
    expect(await refusal({ paused: null }, UpdateWebhookDto)).toEqual({ field: 'paused', message: 'paused must be true or false' });
    expect(await refusal({ events: null }, UpdateWebhookDto)).toEqual({ field: 'events', message: 'events must be an array of event types' });
    expect(await refusal({ description: 42 }, UpdateWebhookDto)).toEqual({ field: 'description', message: 'description must be a string or null' });
    expect(await refusal({ description: 'd'.repeat(501) }, UpdateWebhookDto)).toEqual({ field: 'description', message: 'description must be at most 500 characters' });
    expect(await refusal({ paused: 'true' }, UpdateWebhookDto)).toEqual({ field: 'paused', message: 'paused must be true or false' });
    expect(await refusal({ url }, UpdateWebhookDto)).toMatchObject({ field: 'url' });
  });

  it('takes a change of one field or more (description null removes it), and refuses one that changes nothing, naming the rule', async () => {
    expect(await accepted({ description: null }, UpdateWebhookDto)).toEqual({ description: null });
    expect(await accepted({ paused: false, events: ['access.removed'] }, UpdateWebhookDto)).toEqual({ paused: false, events: ['access.removed'] });
    const empty = await accepted({}, UpdateWebhookDto);
    expect(() => assertSomethingToChange(empty)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'body', message: expect.stringContaining('at least one of events, paused and description') }));
    expect(() => assertSomethingToChange({ paused: false })).not.toThrow();
    expect(() => assertSomethingToChange({ description: null })).not.toThrow();
  });

  it('reads ids in capitals as the same ids, and refuses what is not a UUID, naming it; and takes only the delivery states', async () => {
    const [id, deliveryId] = [randomUUID(), randomUUID()];
    expect(await accepted({ id: id.toUpperCase(), deliveryId: deliveryId.toUpperCase() }, WebhookDeliveryParams, 'param')).toEqual({ id, deliveryId });
    expect(await refusal({ id, deliveryId: 'nope' }, WebhookDeliveryParams, 'param')).toEqual({ field: 'deliveryId', message: 'deliveryId must be a UUID' });
    expect(await refusal({ id: "' OR 1=1 --", deliveryId }, WebhookDeliveryParams, 'param')).toEqual({ field: 'id', message: 'id must be a UUID' });

    expect(await accepted({ status: 'FAILED', page: '2' }, ListWebhookDeliveriesQueryDto, 'query')).toMatchObject({ status: 'FAILED', page: 2, pageSize: 50 });
    expect(await refusal({ status: 'failed' }, ListWebhookDeliveriesQueryDto, 'query')).toEqual({ field: 'status', message: 'status must be one of PENDING, DELIVERED, FAILED' });
    expect(await refusal({ pageSize: '201' }, ListWebhookDeliveriesQueryDto, 'query')).toMatchObject({ field: 'pageSize' });
  });
});
