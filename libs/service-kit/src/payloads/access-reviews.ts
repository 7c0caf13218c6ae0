import { z } from 'zod';
import {
  ACCESS_REVIEW_DECISIONS,
  ACCESS_REVIEW_DECISIONS_MAX,
  type DecideAccessReviewCommand,
  type GetAccessReviewQuery,
  type ListAccessReviewCampaignsQuery,
  type StartAccessReviewCampaignCommand,
  type UserIdRequest,
} from '@am/contracts';
import { callerProof, isoDateTime, messageSchema, page, pageSize, uuid } from './fields';

/**
 * The access review messages (issue 18): access-workflows receives start and decide (each runs
 * through a workflow), the directory the reads.
 */

/** The gateway's StartAccessReviewDto. */
export const startAccessReviewCampaignCommand = messageSchema<StartAccessReviewCampaignCommand>()({
  startedById: uuid(),
  organizationId: uuid().optional(),
  dueAt: isoDateTime(),
  proof: callerProof(),
});

/** The gateway's AccessReviewDecisionsDto: 1 to 500 distinct users. */
export const decideAccessReviewCommand = messageSchema<DecideAccessReviewCommand>()({
  reviewId: uuid(),
  deciderId: uuid(),
  items: z
    .array(z.object({ userId: uuid(), decision: z.enum(ACCESS_REVIEW_DECISIONS) }).strict())
    .min(1)
    .max(ACCESS_REVIEW_DECISIONS_MAX)
    .refine((items) => new Set(items.map((i) => i.userId)).size === items.length, { message: 'each user may appear once' }),
  proof: callerProof(),
});

export const getAccessReviewQuery = messageSchema<GetAccessReviewQuery>()({ id: uuid(), viewerId: uuid(), page: page().optional(), pageSize: pageSize().optional() });

export const listAccessReviewCampaignsQuery = messageSchema<ListAccessReviewCampaignsQuery>()({ viewerId: uuid(), page: page().optional(), pageSize: pageSize().optional() });

export const myAccessReviewsQuery = messageSchema<UserIdRequest>()({ userId: uuid() });
