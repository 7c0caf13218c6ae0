import { z } from 'zod';
import { NOMINATION_MESSAGE_MAX, NOMINATION_RESPONSES, type CreateNominationCommand, type GetNominationQuery, type RespondToNominationCommand, type UserIdRequest } from '@am/contracts';
import { callerProof, messageSchema, userRef, uuid } from './fields';

/**
 * The nomination messages (issue 18): access-workflows receives nominate and respond (each runs
 * through the nomination's workflow), the directory the reads.
 */

/** The gateway's CreateNominationDto: the nominee by account id or login id, a message of at most 1000 characters. */
export const createNominationCommand = messageSchema<CreateNominationCommand>()({
  organizationId: uuid(),
  nominatorId: uuid(),
  nominee: userRef(),
  message: z.string().max(NOMINATION_MESSAGE_MAX).optional(),
  proof: callerProof(),
});

export const respondToNominationCommand = messageSchema<RespondToNominationCommand>()({
  nominationId: uuid(),
  nomineeId: uuid(),
  response: z.enum(NOMINATION_RESPONSES),
  proof: callerProof(),
});

export const getNominationQuery = messageSchema<GetNominationQuery>()({ nominationId: uuid(), viewerId: uuid() });

export const myNominationsQuery = messageSchema<UserIdRequest>()({ userId: uuid() });
