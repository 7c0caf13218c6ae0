import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { proofTarget, type RemovalRecord, type RemoveAccessCommand } from '@am/contracts';
import { ACCESS_REMOVAL_WORKFLOW, accessRemovalWorkflowId, domainErrorIn, removeAccessUpdate, taskQueue, type AccessRemovalWorkflowInput } from '@am/workflow-contracts';
import { CallerProofVerifier, currentRequestId } from '@am/service-kit';
import { ACCESS_WORKFLOWS_CONFIG, activityTaskQueues, type AccessWorkflowsConfig } from '../config/access-workflows.config';
import { TemporalClientProvider } from '../temporal/temporal-client.provider';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/search-attributes';

/**
 * Removal of access as a workflow (rule 9): started together with its `remove` Update
 * (Update-with-Start), so the caller is answered as soon as the directory has removed the role,
 * or refused with the directory's reason, while the email to the removed user follows durably.
 */
@Injectable()
export class AccessRemovalsService {
  constructor(
    @Inject(ACCESS_WORKFLOWS_CONFIG) private readonly config: AccessWorkflowsConfig,
    private readonly temporal: TemporalClientProvider,
    private readonly proofs: CallerProofVerifier,
  ) {}

  /**
   * The removal's id is a UUID chosen here (or by the caller, for a retry), and its workflow is
   * `access-removal-<removalId>`. The answer names the removal by that UUID, whatever the workflow
   * recorded as the directory's retry key: a retried start or activity answers the same id.
   */
  async remove(command: RemoveAccessCommand): Promise<RemovalRecord & { removalId: string }> {
    await this.proofs.verify(command.proof, { action: 'access.remove', target: proofTarget.removal(command.organizationId, command.userId), actorId: command.removedById });
    const removalId = command.removalId ?? randomUUID();
    const input: AccessRemovalWorkflowInput = {
      command: { organizationId: command.organizationId, userId: command.userId, removedById: command.removedById, reason: command.reason, proof: command.proof, removalId },
      taskQueues: activityTaskQueues(this.config),
    };
    const startWorkflowOperation = new WithStartWorkflowOperation(ACCESS_REMOVAL_WORKFLOW, {
      workflowId: accessRemovalWorkflowId(removalId),
      taskQueue: taskQueue('accessWorkflows', this.config.TASK_QUEUE_PREFIX),
      workflowIdConflictPolicy: 'FAIL',
      args: [input],
      ...(currentRequestId() ? { memo: { gatewayRequestId: currentRequestId() } } : {}),
      typedSearchAttributes: [
        { key: SEARCH_ATTRIBUTE_KEYS.organizationId, value: command.organizationId },
        { key: SEARCH_ATTRIBUTE_KEYS.requesterId, value: command.removedById },
      ],
    });
    try {
      const record = await this.temporal.client.workflow.executeUpdateWithStart(removeAccessUpdate, { startWorkflowOperation });
      return { ...record, removalId };
    } catch (err) {
      throw domainErrorIn(err) ?? err;
    }
  }
}
