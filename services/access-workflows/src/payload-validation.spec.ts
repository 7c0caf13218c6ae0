// Every access-workflows handler validates its payload before any service code runs: a malformed
// message is refused (VALIDATION_FAILED, naming the field) and no service method is called.
import { ACCESS_WORKFLOWS_PATTERNS } from '@am/contracts';
import { accessWorkflowsPayloadExamples, handlerAnswer as answer, malformedPayloads, messageHandlers, RecordingService, withoutField } from '@am/service-kit';
import { AccessReviewsController } from './access-reviews/access-reviews.controller';
import { NominationsController } from './nominations/nominations.controller';
import { AccessRemovalsController } from './removals/access-removals.controller';
import { RoleRequestsController } from './role-requests/role-requests.controller';

const NOT_HERE = new Set<string>(['health']);

const recorder = new RecordingService();
const { service } = recorder;
const calls = () => recorder.calls.map((c) => c.method);
const handlers = [new AccessRemovalsController(service), new RoleRequestsController(service), new NominationsController(service), new AccessReviewsController(service)].flatMap(messageHandlers);

const keyOf = (pattern: string) => (Object.keys(ACCESS_WORKFLOWS_PATTERNS) as (keyof typeof ACCESS_WORKFLOWS_PATTERNS)[]).find((k) => ACCESS_WORKFLOWS_PATTERNS[k] === pattern)!;

describe('access-workflows handlers validate their payload', () => {
  beforeEach(() => recorder.reset());

  it('every pattern but health is served here', () => {
    expect(handlers.map((h) => keyOf(h.pattern)).sort()).toEqual(Object.keys(ACCESS_WORKFLOWS_PATTERNS).filter((k) => !NOT_HERE.has(k)).sort());
  });

  describe.each(handlers.map((h) => [keyOf(h.pattern), h] as const))('%s', (key, handler) => {
    const example = accessWorkflowsPayloadExamples[key as keyof typeof accessWorkflowsPayloadExamples] as Record<string, unknown>;

    it('passes a valid message on to its service', async () => {
      expect(await answer(handler.call(example))).toBe('accepted');
      expect(calls()).toHaveLength(1);
    });

    it('passes a message without a proof on: the service’s verifier refuses it as UNAUTHENTICATED', async () => {
      expect(await answer(handler.call(withoutField(example, 'proof')))).toBe('accepted');
      expect(calls()).toHaveLength(1);
    });

    it.each(malformedPayloads(example))('refuses $what, naming the field, and calls no service', async ({ payload, field }) => {
      expect(await answer(handler.call(payload))).toEqual({ code: 'VALIDATION_FAILED', field, message: expect.stringMatching(new RegExp(`^${field ?? 'payload'}: `)) });
      expect(calls()).toEqual([]);
    });
  });
});
