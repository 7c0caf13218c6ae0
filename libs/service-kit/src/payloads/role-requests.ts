import { z } from 'zod';
import { DECISIONS, ORG_ROLES, type CreateRoleRequestCommand, type DecideCommand, type GetRoleRequestQuery, type ListPendingQuery, type WithdrawCommand } from '@am/contracts';
import { callerProof, messageSchema, uuid } from './fields';

/**
 * The role-request messages, which both the directory and access-workflows receive: submit (and
 * the directory's create), decide, withdraw, and the directory's reads.
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

/** The reconciler's keyset page over pending requests. */
export const listPendingQuery = messageSchema<ListPendingQuery>()({
  afterId: uuid().optional(),
  limit: z.int().min(1).max(1000),
});

export const checkDeciderQuery = messageSchema<Pick<DecideCommand, 'requestId' | 'deciderId'>>()({
  requestId: uuid(),
  deciderId: uuid(),
});
