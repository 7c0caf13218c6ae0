import { z } from 'zod';
import { EMAIL_DIGEST_CHOICES, isTimeZone, TIME_ZONE_RULE, type UpdateEmailPreferencesCommand, type UserIdRequest } from '@am/contracts';
import { callerProof, messageSchema, uuid } from './fields';

/** Email preferences (issue 19): the gateway's UpdateEmailPreferencesDto, with the caller and their proof. */
export const updateEmailPreferencesCommand = messageSchema<UpdateEmailPreferencesCommand>()({
  userId: uuid(),
  emailDigest: z.enum(EMAIL_DIGEST_CHOICES),
  digestHour: z.int().min(0).max(23).optional(),
  timeZone: z.string().max(64).refine(isTimeZone, TIME_ZONE_RULE).optional(),
  proof: callerProof(),
});

export const getEmailPreferencesQuery = messageSchema<UserIdRequest>()({ userId: uuid() });
