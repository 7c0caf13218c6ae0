import { randomUUID } from 'node:crypto';
import type { ClientProxy } from '@nestjs/microservices';
import { of } from 'rxjs';
import { DIRECTORY_PATTERNS, DomainError, proofTarget, type CallerProofAction } from '@am/contracts';
import type { CallerProofs } from '../auth/caller-proofs.service';
import { API_KEY_SCOPE, type CallerPrincipal } from '../auth/principal';
import { WebhooksController } from './webhooks.controller';

interface Sent {
  pattern: string;
  payload: Record<string, unknown>;
}

function harness() {
  const sent: Sent[] = [];
  const minted: { actorId: string; action: CallerProofAction; target: string }[] = [];
  const directory = {
    send: (pattern: string, payload: Record<string, unknown>) => {
      sent.push({ pattern, payload });
      return of({ answeredTo: pattern });
    },
  } as unknown as ClientProxy;
  const proofs = {
    for: async (caller: CallerPrincipal, action: CallerProofAction, target: string) => {
      minted.push({ actorId: caller.userId, action, target });
      return `proof:${action}:${target}`;
    },
  } as unknown as CallerProofs;
  return { controller: new WebhooksController(directory, proofs), sent, minted };
}

const person = (platformRole: 'HELP_DESK' | null): CallerPrincipal => ({ userId: randomUUID(), loginId: 'someone', displayName: 'Someone', platformRole, sessionId: randomUUID(), via: 'bearer' });
const apiKey = (platformRole: 'HELP_DESK' | null): CallerPrincipal => ({
  ...person(platformRole),
  sessionId: null,
  via: 'api-key',
  apiKey: { id: randomUUID(), name: 'Registry', scopes: ['webhooks:manage'] },
});

const id = randomUUID();
const deliveryId = randomUUID();
const page = { page: 2, pageSize: 10 };

/** Every route, called as the gateway calls it once the pipes have read the request. */
const ROUTES: { name: string; method: keyof WebhooksController; call: (c: WebhooksController, p: CallerPrincipal) => Promise<unknown>; pattern: string; proof?: [CallerProofAction, string]; payload: Record<string, unknown> }[] = [
  {
    name: 'POST /webhooks',
    method: 'create',
    call: (c, p) => c.create(p, { url: 'https://registry.example.com/hooks', events: ['role-request.decided'], organizationId: id }),
    pattern: DIRECTORY_PATTERNS.createWebhook,
    proof: ['webhook.create', proofTarget.webhooks()],
    payload: { url: 'https://registry.example.com/hooks', events: ['role-request.decided'], organizationId: id },
  },
  { name: 'GET /webhooks', method: 'list', call: (c, p) => c.list(p, page), pattern: DIRECTORY_PATTERNS.listWebhooks, payload: page },
  { name: 'GET /webhooks/{id}', method: 'get', call: (c, p) => c.get(p, { id }), pattern: DIRECTORY_PATTERNS.getWebhook, payload: { id } },
  {
    name: 'PATCH /webhooks/{id}',
    method: 'update',
    call: (c, p) => c.update(p, { id }, { paused: true, description: null }),
    pattern: DIRECTORY_PATTERNS.updateWebhook,
    proof: ['webhook.update', proofTarget.webhook(id)],
    payload: { id, paused: true, description: '' },
  },
  { name: 'DELETE /webhooks/{id}', method: 'remove', call: (c, p) => c.remove(p, { id }), pattern: DIRECTORY_PATTERNS.deleteWebhook, proof: ['webhook.delete', proofTarget.webhook(id)], payload: { id } },
  {
    name: 'POST /webhooks/{id}/rotate-secret',
    method: 'rotateSecret',
    call: (c, p) => c.rotateSecret(p, { id }),
    pattern: DIRECTORY_PATTERNS.rotateWebhookSecret,
    proof: ['webhook.rotate-secret', proofTarget.webhook(id)],
    payload: { id },
  },
  {
    name: 'GET /webhooks/{id}/deliveries',
    method: 'deliveries',
    call: (c, p) => c.deliveries(p, { id }, { ...page, status: 'FAILED' }),
    pattern: DIRECTORY_PATTERNS.listWebhookDeliveries,
    payload: { id, status: 'FAILED', ...page },
  },
  {
    name: 'POST /webhooks/{id}/deliveries/{deliveryId}/redeliver',
    method: 'redeliver',
    call: (c, p) => c.redeliver(p, { id, deliveryId }),
    pattern: DIRECTORY_PATTERNS.redeliverWebhook,
    proof: ['webhook.redeliver', proofTarget.webhook(id)],
    payload: { id, deliveryId },
  },
  { name: 'POST /webhooks/{id}/test', method: 'test', call: (c, p) => c.test(p, { id }), pattern: DIRECTORY_PATTERNS.testWebhook, proof: ['webhook.test', proofTarget.webhook(id)], payload: { id } },
];

describe('webhook routes (issue 20)', () => {
  it('cover every directory webhook pattern, each open to API keys with webhooks:manage', () => {
    const webhookPatterns = Object.values(DIRECTORY_PATTERNS).filter((p) => p.startsWith('directory.webhooks.'));
    expect(ROUTES.map((r) => r.pattern).sort()).toEqual([...webhookPatterns].sort());
    const handlers = Object.getOwnPropertyNames(WebhooksController.prototype).filter((m) => m !== 'constructor');
    expect(handlers.sort()).toEqual(ROUTES.map((r) => r.method).sort());
    for (const m of handlers) expect([m, Reflect.getMetadata(API_KEY_SCOPE, WebhooksController.prototype[m as keyof WebhooksController])]).toEqual([m, 'webhooks:manage']);
  });

  it('keep the secret out of a replayed answer on the two routes that show one, and only there', () => {
    const withheld = (m: keyof WebhooksController) => Reflect.getMetadata('idempotencyWithholds', WebhooksController.prototype[m]) as { field: string } | undefined;
    expect(ROUTES.filter((r) => withheld(r.method)).map((r) => [r.method, withheld(r.method)!.field])).toEqual([
      ['create', 'secret'],
      ['rotateSecret', 'secret'],
    ]);
  });

  it.each([
    ['a person who is not the help desk', person(null)],
    ['an API key acting for someone no longer on the help desk', apiKey(null)],
  ])('refuse %s with 403 before minting a proof or asking the directory', async (_, caller) => {
    const { controller, sent, minted } = harness();
    for (const route of ROUTES) {
      const err = await route.call(controller, caller).catch((e: unknown) => e);
      expect([route.name, err instanceof DomainError ? err.code : err]).toEqual([route.name, 'FORBIDDEN']);
    }
    expect(sent).toEqual([]);
    expect(minted).toEqual([]);
  });

  it('send the help desk person as viewerId and no apiKeyId, with a proof for the action on its target', async () => {
    const caller = person('HELP_DESK');
    for (const route of ROUTES) {
      const { controller, sent, minted } = harness();
      await expect(route.call(controller, caller)).resolves.toEqual({ answeredTo: route.pattern });
      const proof = route.proof ? { proof: `proof:${route.proof[0]}:${route.proof[1]}` } : {};
      expect(sent).toEqual([{ pattern: route.pattern, payload: { viewerId: caller.userId, ...route.payload, ...proof } }]);
      expect('apiKeyId' in sent[0].payload).toBe(false);
      expect(minted).toEqual(route.proof ? [{ actorId: caller.userId, action: route.proof[0], target: route.proof[1] }] : []);
    }
  });

  it('send an API key’s id beside the help desk user it acts as', async () => {
    const caller = apiKey('HELP_DESK');
    for (const route of ROUTES) {
      const { controller, sent } = harness();
      await route.call(controller, caller);
      const proof = route.proof ? { proof: `proof:${route.proof[0]}:${route.proof[1]}` } : {};
      expect(sent).toEqual([{ pattern: route.pattern, payload: { viewerId: caller.userId, apiKeyId: caller.apiKey!.id, ...route.payload, ...proof } }]);
    }
  });

  it('leave out what a registration or a change does not say, and refuse a change that says nothing', async () => {
    const { controller, sent } = harness();
    const caller = person('HELP_DESK');
    await controller.create(caller, { url: 'https://registry.example.com/hooks', events: ['access.removed'] });
    expect(Object.keys(sent[0].payload).sort()).toEqual(['events', 'proof', 'url', 'viewerId']);
    await controller.update(caller, { id }, { events: ['access.removed'] });
    expect(Object.keys(sent[1].payload).sort()).toEqual(['events', 'id', 'proof', 'viewerId']);
    await controller.deliveries(caller, { id }, page);
    expect(Object.keys(sent[2].payload).sort()).toEqual(['id', 'page', 'pageSize', 'viewerId']);
    await controller.update(caller, { id }, { description: 'Registry, removals only' });
    expect(sent[3].payload).toMatchObject({ description: 'Registry, removals only' });
    await expect(controller.update(caller, { id }, {})).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'body' });
    expect(sent).toHaveLength(4);
  });
});
