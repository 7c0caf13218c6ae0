// Every directory handler validates its payload before any service code runs: a malformed message
// is refused (VALIDATION_FAILED, naming the field) and no service method is called.
import { DIRECTORY_PATTERNS } from '@am/contracts';
import { directoryPayloadExamples, handlerAnswer as answer, malformedPayloads, messageHandlers, RecordingService } from '@am/service-kit';
import { AccessReviewsController } from './access-reviews/access-reviews.controller';
import { AccountsController } from './accounts/accounts.controller';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { AuthController } from './auth/auth.controller';
import { EmailPreferencesController } from './email-preferences/email-preferences.controller';
import { CalendarFeedController } from './calendar-feed/calendar-feed.controller';
import { IdempotencyController } from './idempotency/idempotency.controller';
import { NominationsController } from './nominations/nominations.controller';
import { OrganizationsController } from './organizations/organizations.controller';
import { RoleRequestsController } from './role-requests/role-requests.controller';
import { UsersController } from './users/users.controller';
import { WebhooksController } from './webhooks/webhooks.controller';

const NOT_HERE = new Set<string>(['health']);

const recorder = new RecordingService();
const { service } = recorder;
const calls = () => recorder.calls.map((c) => c.method);
const handlers = [
  new AuthController(service, service),
  new AccountsController(service, service),
  new ApiKeysController(service),
  new IdempotencyController(service),
  new OrganizationsController(service, service, service, service),
  new UsersController(service),
  new RoleRequestsController(service),
  new NominationsController(service),
  new AccessReviewsController(service),
  new EmailPreferencesController(service),
  new CalendarFeedController(service),
  new WebhooksController(service),
].flatMap(messageHandlers);

const keyOf = (pattern: string) => (Object.keys(DIRECTORY_PATTERNS) as (keyof typeof DIRECTORY_PATTERNS)[]).find((k) => DIRECTORY_PATTERNS[k] === pattern)!;

describe('directory handlers validate their payload', () => {
  beforeEach(() => recorder.reset());

  it('every directory pattern but health is served here', () => {
    expect(handlers.map((h) => keyOf(h.pattern)).sort()).toEqual(Object.keys(DIRECTORY_PATTERNS).filter((k) => !NOT_HERE.has(k)).sort());
  });

  describe.each(handlers.map((h) => [keyOf(h.pattern), h] as const))('%s', (key, handler) => {
    const example = directoryPayloadExamples[key as Exclude<keyof typeof directoryPayloadExamples, 'health'>] as Record<string, unknown>;

    it('passes a valid message on to its service', async () => {
      expect(await answer(handler.call(example))).toBe('accepted');
      expect(calls()).toHaveLength(1);
    });

    it.each(malformedPayloads(example))('refuses $what, naming the field, and calls no service', async ({ payload, field }) => {
      expect(await answer(handler.call(payload))).toEqual({ code: 'VALIDATION_FAILED', field, message: expect.stringMatching(new RegExp(`^${field ?? 'payload'}: `)) });
      expect(calls()).toEqual([]);
    });
  });
});
