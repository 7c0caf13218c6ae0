import { z } from 'zod';
import { DECISIONS, DENY_REASON_CODES, ORG_ROLES, type CreateRoleRequestCommand, type DecideCommand, type GetRoleRequestQuery, type WithdrawCommand } from '@am/contracts';
import { callerProof, messageSchema, uuid } from './fields';

/**
 * The role-request messages: access-workflows receives submit, decide and withdraw (each runs
 * through the request's workflow), the directory the read.
 */

/** The gateway's CreateRoleRequestDto: a justification of at most 1000 characters. */
export const createRoleRequestCommand = messageSchema<CreateRoleRequestCommand>()({
  requesterId: uuid(),
  organizationId: uuid(),
  role: z.enum(ORG_ROLES),
  justification: z.string().max(1000).optional(),
  proof: callerProof(),
});

/** The gateway's DenyDto: a reason of at most 1000 characters. */
export const decideCommand = messageSchema<DecideCommand>()({
  requestId: uuid(),
  deciderId: uuid(),
  decision: z.enum(DECISIONS),
  reason: z.string().max(1000).optional(),
  reasonCode: z.enum(DENY_REASON_CODES).optional(),
  proof: callerProof(),
});

export const withdrawCommand = messageSchema<WithdrawCommand>()({
  requestId: uuid(),
  requesterId: uuid(),
  proof: callerProof(),
});

export const getRoleRequestQuery = messageSchema<GetRoleRequestQuery>()({
  requestId: uuid(),
  viewerId: uuid(),
});
