import { z } from 'zod';
import {
  DECISIONS,
  DENY_REASON_CODES,
  ORG_ROLES,
  type CreateRoleRequestCommand,
  type DecideCommand,
  type DecideManyCommand,
  type GetRoleRequestQuery,
  type UndoCommand,
  type WithdrawCommand,
} from '@am/contracts';
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
  submissionId: uuid().optional(),
  proof: callerProof(),
});

/** The gateway's DenyDto: a reason of at most 1000 characters. */
export const decideCommand = messageSchema<DecideCommand>()({
  requestId: uuid(),
  deciderId: uuid(),
  decision: z.enum(DECISIONS),
  reason: z.string().max(1000).optional(),
  reasonCode: z.enum(DENY_REASON_CODES).optional(),
  callId: uuid().optional(),
  proof: callerProof(),
});

export const withdrawCommand = messageSchema<WithdrawCommand>()({
  requestId: uuid(),
  requesterId: uuid(),
  proof: callerProof(),
});

/** Undo of a denial inside its window (issue 17). */
export const undoCommand = messageSchema<UndoCommand>()({
  requestId: uuid(),
  actorId: uuid(),
  proof: callerProof(),
});

/** The gateway's DecisionsDto: 1 to 100 distinct requests, each with its own proof (issue 17). */
export const MAX_BULK_DECISIONS = 100;
export const decideManyCommand = messageSchema<DecideManyCommand>()({
  deciderId: uuid(),
  decision: z.enum(DECISIONS),
  reason: z.string().max(1000).optional(),
  reasonCode: z.enum(DENY_REASON_CODES).optional(),
  items: z
    .array(z.object({ requestId: uuid(), proof: callerProof() }).strict())
    .min(1)
    .max(MAX_BULK_DECISIONS)
    .refine((items) => new Set(items.map((i) => i.requestId)).size === items.length, { message: 'each request may appear once' }),
});

export const getRoleRequestQuery = messageSchema<GetRoleRequestQuery>()({
  requestId: uuid(),
  viewerId: uuid(),
});
