import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import {
  DIRECTORY_CLIENT,
  DIRECTORY_PATTERNS,
  NOMINATION_REFUSALS,
  proofTarget,
  STATUS_OF_RESPONSE,
  type CreateNominationCommand,
  type NominationView,
  type RespondToNominationCommand,
} from '@am/contracts';
import { call, CallerProofVerifier, currentRequestId } from '@am/service-kit';
import {
  domainErrorIn,
  nominateUpdate,
  NOMINATION_WORKFLOW,
  nominationWorkflowId,
  respondUpdate,
  responseUpdateId,
  taskQueue,
  type NominationWorkflowInput,
} from '@am/workflow-contracts';
import { ACCESS_WORKFLOWS_CONFIG, activityTaskQueues, type AccessWorkflowsConfig } from '../config/access-workflows.config';
import { TemporalClientProvider } from '../temporal/temporal-client.provider';
import { temporalUnavailable } from '../temporal/temporal-unavailable';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/search-attributes';

/**
 * Nominations of a backup Security Official (issue 18), each owned by its workflow from its first
 * write, exactly like role requests: the nomination starts the workflow with its nominate Update
 * (Update-with-Start), which records it in the directory; the nominee's answer is an Update whose
 * result is the answer. One Temporal round trip each.
 */
@Injectable()
export class NominationWorkflowsService {
  constructor(
    @Inject(ACCESS_WORKFLOWS_CONFIG) private readonly config: AccessWorkflowsConfig,
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
    private readonly temporal: TemporalClientProvider,
    private readonly proofs: CallerProofVerifier,
  ) {}

  /** The nomination is recorded by its workflow, or refused and nothing is written anywhere (503 when Temporal is unreachable). */
  async nominate(cmd: CreateNominationCommand): Promise<NominationView> {
    await this.proofs.verify(cmd.proof, { action: 'nomination.create', target: proofTarget.nominations(cmd.organizationId), actorId: cmd.nominatorId });
    const nominationId = randomUUID();
    const input: NominationWorkflowInput = {
      nominationId,
      organizationId: cmd.organizationId,
      nominatorId: cmd.nominatorId,
      nominee: cmd.nominee,
      taskQueues: activityTaskQueues(this.config),
      expiresAfterMs: this.config.NOMINATION_EXPIRES_AFTER,
    };
    const startWorkflowOperation = new WithStartWorkflowOperation(NOMINATION_WORKFLOW, {
      workflowId: nominationWorkflowId(nominationId),
      taskQueue: taskQueue('accessWorkflows', this.config.TASK_QUEUE_PREFIX),
      workflowIdConflictPolicy: 'FAIL',
      args: [input],
      ...(currentRequestId() ? { memo: { gatewayRequestId: currentRequestId() } } : {}),
      typedSearchAttributes: [{ key: SEARCH_ATTRIBUTE_KEYS.organizationId, value: cmd.organizationId }],
    });
    try {
      return await this.temporal.client.workflow.executeUpdateWithStart(nominateUpdate, { args: [{ message: cmd.message, proof: cmd.proof }], startWorkflowOperation });
    } catch (err) {
      throw domainErrorIn(err) ?? temporalUnavailable(err) ?? err;
    }
  }

  /**
   * The nominee accepts or declines: the first answer recorded wins (or the expiry). A retry of the
   * answer recorded is answered 200 with it, even after the workflow has finished; another answer
   * to a closed nomination is refused, saying what happened when.
   */
  async respond(cmd: RespondToNominationCommand): Promise<NominationView> {
    await this.proofs.verify(cmd.proof, { action: 'nomination.respond', target: proofTarget.nomination(cmd.nominationId), actorId: cmd.nomineeId });
    const handle = this.temporal.client.workflow.getHandle(nominationWorkflowId(cmd.nominationId));
    try {
      return await handle.executeUpdate(respondUpdate, {
        updateId: responseUpdateId(cmd.nominationId, cmd.nomineeId, cmd.response, randomUUID()),
        args: [{ nomineeId: cmd.nomineeId, response: cmd.response, proof: cmd.proof }],
      });
    } catch (err) {
      const refusal = domainErrorIn(err) ?? temporalUnavailable(err);
      if (refusal) throw refusal;
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      // The workflow has finished (the nomination closed and its emails went out): what the directory recorded.
      const now = await call<NominationView>(this.directory, DIRECTORY_PATTERNS.getNomination, { nominationId: cmd.nominationId, viewerId: cmd.nomineeId });
      if (now.nominee.id !== cmd.nomineeId) throw NOMINATION_REFUSALS.notTheNominee();
      if (now.status === STATUS_OF_RESPONSE[cmd.response]) return now;
      throw NOMINATION_REFUSALS.alreadyClosed({ status: now.status, by: now.status === 'EXPIRED' ? null : now.nominee, at: now.respondedAt });
    }
  }
}
