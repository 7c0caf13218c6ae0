import { z } from 'zod';
import type { ACCESS_WORKFLOWS_PATTERNS, RemoveAccessCommand } from '@am/contracts';
import { callerProof, messageSchema, uuid } from './fields';
import { decideAccessReviewCommand, startAccessReviewCampaignCommand } from './access-reviews';
import { createNominationCommand, respondToNominationCommand } from './nominations';
import { createRoleRequestCommand, decideCommand, decideManyCommand, undoCommand, withdrawCommand } from './role-requests';

/** The gateway's OrgUserParams and RemoveAccessBodyDto (a reason of at most 1000 characters). */
const removeAccess = messageSchema<RemoveAccessCommand>()({
  organizationId: uuid(),
  userId: uuid(),
  removedById: uuid(),
  reason: z.string().max(1000).optional(),
  /** Names the removal's workflow (access-removal-<removalId>): a uuid, or none for a new one. */
  removalId: uuid().optional(),
  proof: callerProof(),
});

type AccessWorkflowsPattern = Exclude<keyof typeof ACCESS_WORKFLOWS_PATTERNS, 'health'>;

/**
 * The schema of every message access-workflows serves, by its key in ACCESS_WORKFLOWS_PATTERNS
 * (health takes no payload). A pattern added without a schema fails to compile here.
 */
export const accessWorkflowsPayloads = {
  submit: createRoleRequestCommand,
  decide: decideCommand,
  withdraw: withdrawCommand,
  undo: undoCommand,
  decideMany: decideManyCommand,
  removeAccess,
  nominate: createNominationCommand,
  respondToNomination: respondToNominationCommand,
  startAccessReviewCampaign: startAccessReviewCampaignCommand,
  decideAccessReview: decideAccessReviewCommand,
} satisfies Record<AccessWorkflowsPattern, z.ZodType>;
