// Every notifications handler validates its payload before any service code runs: a malformed
// message is refused (VALIDATION_FAILED, naming the field) and no service method is called.
import { NOTIFICATIONS_PATTERNS } from '@am/contracts';
import { notificationsPayloadExamples, handlerAnswer as answer, malformedPayloads, messageHandlers, RecordingService } from '@am/service-kit';
import { AccountEmailsController } from './account-emails/account-emails.controller';
import { NoticesController } from './notices/notices.controller';

const recorder = new RecordingService();
const { service } = recorder;
const calls = () => recorder.calls.map((c) => c.method);
const handlers = [new NoticesController(service), new AccountEmailsController(service)].flatMap(messageHandlers);

const keyOf = (pattern: string) => (Object.keys(NOTIFICATIONS_PATTERNS) as (keyof typeof NOTIFICATIONS_PATTERNS)[]).find((k) => NOTIFICATIONS_PATTERNS[k] === pattern)!;

describe('notifications handlers validate their payload', () => {
  beforeEach(() => recorder.reset());

  it('every pattern but health is served here', () => {
    expect(handlers.map((h) => keyOf(h.pattern)).sort()).toEqual(Object.keys(NOTIFICATIONS_PATTERNS).filter((k) => k !== 'health').sort());
  });

  describe.each(handlers.map((h) => [keyOf(h.pattern), h] as const))('%s', (key, handler) => {
    const example = notificationsPayloadExamples[key as keyof typeof notificationsPayloadExamples] as Record<string, unknown>;

    it('passes a valid message on to its service', async () => {
      expect(await answer(handler.call(example))).toBe('accepted');
      expect(calls()).toHaveLength(1);
    });

    it.each(malformedPayloads(example))('refuses $what, naming the field, and calls no service', async ({ payload, field }) => {
      expect(await answer(handler.call(payload))).toEqual({ code: 'VALIDATION_FAILED', field, message: expect.stringMatching(new RegExp(`^${field ?? 'payload'}: `)) });
      expect(calls()).toEqual([]);
    });
  });

  it('fills in the defaults of the notices’ reads', async () => {
    await handlers.find((h) => keyOf(h.pattern) === 'listNotices')!.call({ userId: notificationsPayloadExamples.listNotices.userId });
    expect(recorder.calls).toEqual([{ method: 'list', args: [{ userId: notificationsPayloadExamples.listNotices.userId, unreadOnly: false, limit: 50 }] }]);
  });
});
