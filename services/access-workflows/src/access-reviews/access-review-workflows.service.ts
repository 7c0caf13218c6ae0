import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import type { ClientProxy } from '@nestjs/microservices';
import { ACCESS_REVIEW_REFUSALS, DIRECTORY_CLIENT, DIRECTORY_PATTERNS, proofTarget, type AccessReviewCampaignView, type AccessReviewLookupView, type AccessReviewDecisionsView, type DecideAccessReviewCommand, type StartAccessReviewCampaignCommand } from '@am/contracts';
import { call, CallerProofVerifier, currentRequestId } from '@am/service-kit';
import {
  ACCESS_REVIEW_CAMPAIGN_WORKFLOW,
  accessReviewCampaignWorkflowId,
  accessReviewWorkflowId,
  decideAccessReviewUpdate,
  domainErrorIn,
  openCampaignUpdate,
  taskQueue,
  type AccessReviewCampaignInput,
} from '@am/workflow-contracts';
import { ACCESS_WORKFLOWS_CONFIG, accessReviewTimings, activityTaskQueues, type AccessWorkflowsConfig } from '../config/access-workflows.config';
import { TemporalClientProvider } from '../temporal/temporal-client.provider';
import { temporalUnavailable } from '../temporal/temporal-unavailable';

/**
 * Access reviews (issue 18) through their workflows: the help desk's campaign starts its workflow
 * with the openCampaign Update (Update-with-Start: answered once the directory has recorded the
 * campaign and its reviews), and decisions are the decide Update of the organization's review.
 */
@Injectable()
export class AccessReviewWorkflowsService {
  constructor(
    @Inject(ACCESS_WORKFLOWS_CONFIG) private readonly config: AccessWorkflowsConfig,
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
    private readonly temporal: TemporalClientProvider,
    private readonly proofs: CallerProofVerifier,
  ) {}

  async start(cmd: StartAccessReviewCampaignCommand): Promise<AccessReviewCampaignView> {
    await this.proofs.verify(cmd.proof, { action: 'access-review.start', target: proofTarget.accessReviews(), actorId: cmd.startedById });
    const campaignId = randomUUID();
    const input: AccessReviewCampaignInput = {
      campaignId,
      organizationId: cmd.organizationId,
      dueAt: new Date(cmd.dueAt).toISOString(),
      startedById: cmd.startedById,
      timings: accessReviewTimings(this.config),
      taskQueues: { ...activityTaskQueues(this.config), accessWorkflows: taskQueue('accessWorkflows', this.config.TASK_QUEUE_PREFIX) },
    };
    const startWorkflowOperation = new WithStartWorkflowOperation(ACCESS_REVIEW_CAMPAIGN_WORKFLOW, {
      workflowId: accessReviewCampaignWorkflowId(campaignId),
      taskQueue: taskQueue('accessWorkflows', this.config.TASK_QUEUE_PREFIX),
      workflowIdConflictPolicy: 'FAIL',
      args: [input],
      ...(currentRequestId() ? { memo: { gatewayRequestId: currentRequestId() } } : {}),
    });
    try {
      return await this.temporal.client.workflow.executeUpdateWithStart(openCampaignUpdate, { args: [{ proof: cmd.proof }], startWorkflowOperation });
    } catch (err) {
      throw domainErrorIn(err) ?? temporalUnavailable(err) ?? err;
    }
  }

  /** Decisions on one review, each as if alone; after the review's workflow has ended: 409, the review closed. */
  async decide(cmd: DecideAccessReviewCommand): Promise<AccessReviewDecisionsView> {
    await this.proofs.verify(cmd.proof, { action: 'access-review.decide', target: proofTarget.accessReview(cmd.reviewId), actorId: cmd.deciderId });
    const handle = this.temporal.client.workflow.getHandle(accessReviewWorkflowId(cmd.reviewId));
    try {
      return await handle.executeUpdate(decideAccessReviewUpdate, {
        updateId: `decide/${cmd.reviewId}/${cmd.deciderId}/${randomUUID()}`,
        args: [{ deciderId: cmd.deciderId, items: cmd.items, proof: cmd.proof }],
      });
    } catch (err) {
      const refusal = domainErrorIn(err) ?? temporalUnavailable(err);
      if (refusal) throw refusal;
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      // The review's workflow has ended (it closed), or there is no such review: the directory says
      // which, and only to its reviewers (403 to others, 404 for no review).
      const now = await call<AccessReviewLookupView>(this.directory, DIRECTORY_PATTERNS.getAccessReview, { id: cmd.reviewId, viewerId: cmd.deciderId });
      if (now.kind !== 'review') throw ACCESS_REVIEW_REFUSALS.noSuchReview();
      throw ACCESS_REVIEW_REFUSALS.closed(now.completedAt);
    }
  }
}
