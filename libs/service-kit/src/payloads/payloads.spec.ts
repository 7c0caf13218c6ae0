import fc from 'fast-check';
import type { z } from 'zod';
import { ACCESS_WORKFLOWS_PATTERNS, DIRECTORY_PATTERNS, DomainError, NOTIFICATIONS_PATTERNS } from '@am/contracts';
import { parsePayload } from '../parse-payload';
import { HEADER_MAX } from './fields';
import { withoutField } from './testing';
import { accessWorkflowsPayloadExamples, accessWorkflowsPayloads, directoryPayloadExamples, directoryPayloads, notificationsPayloadExamples, notificationsPayloads } from './index';

type Outcome = { accepted: unknown } | { code: string; field: string | undefined; message: string };

function outcome(schema: z.ZodType, payload: unknown): Outcome {
  try {
    return { accepted: parsePayload(schema, payload) };
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return { code: err.code, field: err.field, message: err.message };
  }
}

const refusedAt = (field: string) => ({ code: 'VALIDATION_FAILED', field, message: expect.stringMatching(new RegExp(`^${field.replace(/\./g, '\\.')}: .+`)) });

interface Message {
  name: string;
  schema: z.ZodType;
  example: Record<string, unknown>;
}

const messages: Message[] = [
  ...Object.entries(directoryPayloads).map(([key, schema]) => ({
    name: `directory ${key}`,
    schema: schema as z.ZodType,
    example: directoryPayloadExamples[key as keyof typeof directoryPayloads] as Record<string, unknown>,
  })),
  ...Object.entries(accessWorkflowsPayloads).map(([key, schema]) => ({
    name: `access-workflows ${key}`,
    schema: schema as z.ZodType,
    example: accessWorkflowsPayloadExamples[key as keyof typeof accessWorkflowsPayloads] as Record<string, unknown>,
  })),
  ...Object.entries(notificationsPayloads).map(([key, schema]) => ({
    name: `notifications ${key}`,
    schema: schema as z.ZodType,
    example: notificationsPayloadExamples[key as keyof typeof notificationsPayloads] as Record<string, unknown>,
  })),
];

/** The fields the contract types make optional (and the proof, which the verifier checks: see callerProof). */
const OPTIONAL = new Set(['justification', 'removalId', 'onBehalfOf', 'q', 'type', 'from', 'after', 'proof', 'unreadOnly', 'since', 'reasonCode', 'message', 'state', 'digestHour', 'timeZone']);
function optional(message: Message, field: string): boolean {
  // `to` is the audit period's end, or an email's recipient; `limit` has a default on the notices' reads.
  if (field === 'to') return message.name.endsWith('listAudit');
  if (field === 'limit') return message.name.startsWith('notifications');
  // `reason` is optional on a removal and a decision, required on the help desk's account actions;
  // `name` is optional on manage access only; `organizationId` on the audit query only.
  if (field === 'reason') return /removeAccess|decide/.test(message.name);
  if (field === 'name') return message.name.endsWith('manageAccess');
  if (field === 'organizationId' && !/Webhook/.test(message.name)) return /listAudit|startAccessReviewCampaign/.test(message.name);
  // Webhooks (issue 20): the API key only when a system asks; a subscription's organization and
  // description when given; an update's fields each when changed; a deliveries filter when asked.
  if (field === 'apiKeyId') return /Webhook/.test(message.name);
  if (/Webhook/.test(message.name) && ['organizationId', 'description', 'events', 'paused', 'status'].includes(field)) return !(field === 'events' && message.name.endsWith('createWebhook'));
  // Access review and webhook reads page when asked (issues 18, 20); the other paged reads always carry the page.
  if (field === 'page' || field === 'pageSize') return /AccessReview|Webhook/.test(message.name);
  return OPTIONAL.has(field);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** An id field (userId, id, ...): not `user` (an id or a login id) nor `principal`. */
const ID_FIELD = /(^id|Id)$/;

/** A value of another JSON type than the example's. */
function wrongType(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number' || typeof value === 'boolean') return 'true';
  return 'x';
}

describe('message schemas', () => {
  it('cover every pattern each service serves but health', () => {
    expect(Object.keys(directoryPayloads).sort()).toEqual(Object.keys(DIRECTORY_PATTERNS).filter((k) => k !== 'health').sort());
    expect(Object.keys(accessWorkflowsPayloads).sort()).toEqual(Object.keys(ACCESS_WORKFLOWS_PATTERNS).filter((k) => k !== 'health').sort());
    expect(Object.keys(notificationsPayloads).sort()).toEqual(Object.keys(NOTIFICATIONS_PATTERNS).filter((k) => k !== 'health').sort());
  });

  describe.each(messages)('$name', (message) => {
    const { schema, example } = message;

    it('accepts the example as it is', () => {
      expect(outcome(schema, example)).toEqual({ accepted: example });
    });

    it('refuses what is not an object, without naming a field', () => {
      for (const payload of [null, undefined, 'text', 42, true, [], [example]]) {
        expect(outcome(schema, payload)).toEqual({ code: 'VALIDATION_FAILED', field: undefined, message: expect.stringMatching(/^payload: /) });
      }
    });

    it('refuses an unknown field, naming it', () => {
      expect(outcome(schema, { ...example, isAdmin: true })).toEqual({ code: 'VALIDATION_FAILED', field: 'isAdmin', message: 'isAdmin: is not a field of this message' });
      expect(outcome(schema, JSON.parse(`{"__proto__":{"isAdmin":true},${JSON.stringify(example).slice(1)}`))).toMatchObject({ field: '__proto__' });
      // A key of any length is named, but not repeated at length.
      expect(outcome(schema, { ...example, ['k'.repeat(10_000)]: 1 })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'k'.repeat(100) });
    });

    it.each(Object.keys(example))('refuses %s missing (unless optional), of the wrong type, or too long', (field) => {
      const value = example[field];
      const without = withoutField(example, field);
      if (optional(message, field)) expect(outcome(schema, without)).toHaveProperty('accepted');
      else expect(outcome(schema, without)).toEqual(refusedAt(field));

      if (field !== 'response') {
        expect(outcome(schema, { ...example, [field]: wrongType(value) })).toEqual(refusedAt(field));
        expect(outcome(schema, { ...example, [field]: null })).toEqual(refusedAt(field));
        // An object where a value belongs; a nested object is refused inside, at its first bad field.
        const nested = outcome(schema, { ...example, [field]: { $gt: '' } });
        expect(nested).toMatchObject({ code: 'VALIDATION_FAILED', field: typeof value === 'object' && !Array.isArray(value) ? expect.stringMatching(new RegExp(`^${field}\\.`)) : field });
      }
      if (typeof value === 'string') {
        expect(outcome(schema, { ...example, [field]: 'x'.repeat(HEADER_MAX + 1) })).toEqual(refusedAt(field));
      }
      if (typeof value === 'string' && UUID.test(value) && ID_FIELD.test(field)) {
        for (const notUuid of ['not-a-uuid', `${value}0`, value.replace(/-/g, ''), "' OR 1=1 --", '', '9'.repeat(400)]) {
          expect(outcome(schema, { ...example, [field]: notUuid })).toEqual(refusedAt(field));
        }
      }
    });

    it('answers any JSON in any field with the message as parsed, or a refusal naming that field', () => {
      const fields = Object.keys(example);
      fc.assert(
        fc.property(fc.constantFrom(...fields), fc.jsonValue({ maxDepth: 2 }), (field, value) => {
          const got = outcome(schema, { ...example, [field]: value });
          if ('accepted' in got) return;
          expect(got.code).toBe('VALIDATION_FAILED');
          expect(got.field === field || got.field?.startsWith(`${field}.`) || (field === 'recoveryCode' && got.field === 'code')).toBe(true);
        }),
        { seed: 20261201, numRuns: 200 },
      );
    });
  });
});

describe('the rules beyond types', () => {
  const d = directoryPayloads;
  const ex = directoryPayloadExamples;

  it('take an id of any uuid version, as the gateway and PostgreSQL do, so an unknown one still gets its 404', () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', '12345678-1234-1234-1234-123456789012', '018f3c1e-7b2a-7c3d-9e4f-5a6b7c8d9e0f', 'ABCDEF01-2345-4678-9ABC-DEF012345678']) {
      expect(outcome(d.getOrganization, { ...ex.getOrganization, organizationId: id })).toHaveProperty('accepted');
    }
  });

  it('leave a missing proof to the verifier (UNAUTHENTICATED), and refuse a proof that is not a string', () => {
    const bare = withoutField(ex.disableAccount, 'proof');
    expect(outcome(d.disableAccount, bare)).toEqual({ accepted: { ...bare, proof: '' } });
    expect(outcome(accessWorkflowsPayloads.removeAccess, { ...accessWorkflowsPayloadExamples.removeAccess, proof: ['x'] })).toEqual(refusedAt('proof'));
  });

  it('bound pages as the gateway does', () => {
    for (const [field, value] of [['page', 0], ['page', 1.5], ['pageSize', 0], ['pageSize', 201], ['page', Number.MAX_SAFE_INTEGER + 2], ['pageSize', '50']] as const) {
      expect(outcome(d.searchOrganizations, { ...ex.searchOrganizations, [field]: value })).toEqual(refusedAt(field));
    }
    expect(outcome(d.searchOrganizations, { ...ex.searchOrganizations, pageSize: 200 })).toHaveProperty('accepted');
  });

  it('take only the contracts’ enums', () => {
    expect(outcome(accessWorkflowsPayloads.submit, { ...accessWorkflowsPayloadExamples.submit, role: 'ADMIN' })).toEqual(refusedAt('role'));
    expect(outcome(accessWorkflowsPayloads.decide, { ...accessWorkflowsPayloadExamples.decide, decision: 'approve' })).toEqual(refusedAt('decision'));
    expect(outcome(d.searchOrganizations, { ...ex.searchOrganizations, type: 'HOSPITAL' })).toEqual(refusedAt('type'));
    expect(outcome(d.createApiKey, { ...ex.createApiKey, scopes: ['organizations:read', 'admin'] })).toEqual(refusedAt('scopes.1'));
    expect(outcome(d.createApiKey, { ...ex.createApiKey, scopes: [] })).toEqual(refusedAt('scopes'));
  });

  it('take the ids a call derives from an Idempotency-Key only as UUIDs, and do without them', () => {
    const [submit, decide] = [accessWorkflowsPayloadExamples.submit, accessWorkflowsPayloadExamples.decide];
    const id = '3f2b8c1e-7a4d-5e6f-9a0b-1c2d3e4f5a6b';
    expect(outcome(accessWorkflowsPayloads.submit, { ...submit, submissionId: id })).toHaveProperty('accepted');
    expect(outcome(accessWorkflowsPayloads.decide, { ...decide, callId: id })).toHaveProperty('accepted');
    expect(outcome(accessWorkflowsPayloads.submit, { ...submit, submissionId: 'my-key' })).toEqual(refusedAt('submissionId'));
    expect(outcome(accessWorkflowsPayloads.decide, { ...decide, callId: `${id}/../x` })).toEqual(refusedAt('callId'));
    expect(outcome(accessWorkflowsPayloads.submit, submit)).toHaveProperty('accepted');
  });

  it('match the gateway’s lengths: a help desk reason of 500, a justification of 1000, a name of 100', () => {
    expect(outcome(d.disableAccount, { ...ex.disableAccount, reason: 'r'.repeat(500) })).toHaveProperty('accepted');
    expect(outcome(d.disableAccount, { ...ex.disableAccount, reason: 'r'.repeat(501) })).toEqual(refusedAt('reason'));
    // The gateway trims the reason after checking it: "  a" arrives as "a".
    expect(outcome(d.disableAccount, { ...ex.disableAccount, reason: 'a' })).toHaveProperty('accepted');
    expect(outcome(d.disableAccount, { ...ex.disableAccount, reason: '' })).toEqual(refusedAt('reason'));
    const submit = accessWorkflowsPayloadExamples.submit;
    expect(outcome(accessWorkflowsPayloads.submit, { ...submit, justification: 'j'.repeat(1000) })).toHaveProperty('accepted');
    expect(outcome(accessWorkflowsPayloads.submit, { ...submit, justification: 'j'.repeat(1001) })).toEqual(refusedAt('justification'));
    expect(outcome(d.createApiKey, { ...ex.createApiKey, name: 'n'.repeat(101) })).toEqual(refusedAt('name'));
    expect(outcome(d.verifyPassword, { ...ex.verifyPassword, password: 'p'.repeat(200) })).toHaveProperty('accepted');
    expect(outcome(d.verifyPassword, { ...ex.verifyPassword, password: 'p'.repeat(201) })).toEqual(refusedAt('password'));
  });

  it('take a nominee by account id or login id, a message of at most 1000 characters, and only ACCEPT or DECLINE (issue 18)', () => {
    const a = accessWorkflowsPayloads;
    const nominate = accessWorkflowsPayloadExamples.nominate;
    for (const nominee of ['jane.doe', '2d9c6b5a-7e3f-4a0c-9b4d-8f5e3c4a6d72', 'jane@example.com']) expect(outcome(a.nominate, { ...nominate, nominee })).toHaveProperty('accepted');
    for (const nominee of ['', "' OR 1=1 --", 'j'.repeat(101), 'jane doe']) expect(outcome(a.nominate, { ...nominate, nominee })).toEqual(refusedAt('nominee'));
    expect(outcome(a.nominate, { ...nominate, message: 'm'.repeat(1000) })).toHaveProperty('accepted');
    expect(outcome(a.nominate, { ...nominate, message: 'm'.repeat(1001) })).toEqual(refusedAt('message'));
    expect(outcome(a.respondToNomination, { ...accessWorkflowsPayloadExamples.respondToNomination, response: 'accept' })).toEqual(refusedAt('response'));
    expect(outcome(a.respondToNomination, { ...accessWorkflowsPayloadExamples.respondToNomination, response: 'DECLINE' })).toHaveProperty('accepted');
  });

  it('take email preferences as the gateway does: immediate or daily, a whole hour 0-23, an IANA time zone (issue 19)', () => {
    const ex2 = ex.updateEmailPreferences;
    for (const timeZone of ['America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'UTC', 'Etc/GMT+5']) expect(outcome(d.updateEmailPreferences, { ...ex2, timeZone })).toHaveProperty('accepted');
    for (const timeZone of ['Mars/Olympus_Mons', '', 'EST5EDT; DROP TABLE users', '../../etc/passwd']) expect(outcome(d.updateEmailPreferences, { ...ex2, timeZone })).toEqual(refusedAt('timeZone'));
    for (const digestHour of [-1, 24, 7.5]) expect(outcome(d.updateEmailPreferences, { ...ex2, digestHour })).toEqual(refusedAt('digestHour'));
    for (const digestHour of [0, 23]) expect(outcome(d.updateEmailPreferences, { ...ex2, digestHour })).toHaveProperty('accepted');
    expect(outcome(d.updateEmailPreferences, { ...ex2, emailDigest: 'DAILY' })).toEqual(refusedAt('emailDigest'));
  });

  it('take any address the gateway’s IsEmail takes, and refuse what is not one address', () => {
    for (const email of ['"jane doe"@example.com', 'jane!x@example.com', 'jöns@exämple.se', 'a+b@example.co.uk']) {
      expect(outcome(d.forgotUserId, { email })).toHaveProperty('accepted');
    }
    for (const email of ['jane', 'jane@', '@example.com', 'jane@exa mple.com', ' jane@example.com', `${'j'.repeat(250)}@x.io`]) {
      expect(outcome(d.forgotUserId, { email })).toEqual(refusedAt('email'));
    }
  });

  it('take one second factor: a code or a recovery code', () => {
    const noCode = withoutField(ex.verifySecondFactor, 'code');
    expect(outcome(d.verifySecondFactor, { ...noCode, recoveryCode: '7K3M-Q9XD-2HVT-B6RA' })).toHaveProperty('accepted');
    expect(outcome(d.verifySecondFactor, noCode)).toEqual(refusedAt('code'));
    expect(outcome(d.verifySecondFactor, { ...ex.verifySecondFactor, recoveryCode: '7K3M-Q9XD-2HVT-B6RA' })).toEqual(refusedAt('code'));
    expect(outcome(d.verifySecondFactor, { ...ex.verifySecondFactor, code: '12345' })).toEqual(refusedAt('code'));
  });

  it('pass an API key and X-On-Behalf-Of on as the headers came (the directory answers a bad key 401)', () => {
    expect(outcome(d.verifyApiKey, { key: '' })).toHaveProperty('accepted');
    expect(outcome(d.verifyApiKey, { key: 'not a key', onBehalfOf: '' })).toHaveProperty('accepted');
    expect(outcome(d.verifyApiKey, { key: 'k'.repeat(HEADER_MAX + 1) })).toEqual(refusedAt('key'));
  });

  it('name the field inside a nested object', () => {
    expect(outcome(d.listAudit, { ...ex.listAudit, after: { occurredAt: 'yesterday', id: '42' } })).toEqual(refusedAt('after.occurredAt'));
    expect(outcome(d.listAudit, { ...ex.listAudit, after: { occurredAt: ex.listAudit.after!.occurredAt, id: '-1' } })).toEqual(refusedAt('after.id'));
    expect(outcome(d.listAudit, { ...ex.listAudit, after: { ...ex.listAudit.after, page: 2 } })).toMatchObject({ field: 'after.page' });
    expect(outcome(d.listAudit, { ...ex.listAudit, from: '2026-13-45' })).toEqual(refusedAt('from'));
  });
});
