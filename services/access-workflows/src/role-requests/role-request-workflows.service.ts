import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { v5 as uuidv5 } from 'uuid';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import {
  DIRECTORY_CLIENT,
  DIRECTORY_PATTERNS,
  proofTarget,
  REFUSALS,
  DomainError,
  ERROR_CODES,
  type CreateRoleRequestCommand,
  type DecideCommand,
  type DecideManyCommand,
  type DecisionResult,
  type ProgramCalendarRules,
  type RoleRequestView,
  type UndoCommand,
  type WithdrawCommand,
} from '@am/contracts';
import { call, CallerProofVerifier, currentRequestId, programCalendarRules } from '@am/service-kit';
import {
  decideUpdate,
  decisionUpdateId,
  domainErrorIn,
  ROLE_REQUEST_WORKFLOW,
  roleRequestWorkflowId,
  submitUpdate,
  taskQueue,
  undoUpdate,
  undoUpdateId,
  withdrawalUpdateId,
  withdrawUpdate,
  type RoleRequestWorkflowInput,
} from '@am/workflow-contracts';
import { ACCESS_WORKFLOWS_CONFIG, activityTaskQueues, reminderCalendar, requestTimings, type AccessWorkflowsConfig } from '../config/access-workflows.config';
import { mapWithConcurrency } from '../temporal/concurrency';
import { TemporalClientProvider } from '../temporal/temporal-client.provider';
import { temporalUnavailable } from '../temporal/temporal-unavailable';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/search-attributes';

/**
 * Role requests, each owned by its workflow from its first write: a submission starts the workflow
 * with its submit Update (Update-with-Start), which records the request in the directory; decisions
 * and withdrawals are Updates whose result is the answer. One Temporal round trip each.
 */
/** The namespace of request ids named by a submission's id. */
const REQUEST_ID_NAMESPACE = '3b7e9a41-2c6d-5f80-a1b2-c3d4e5f60718';

/**
 * The id of the request a keyed submission creates: bound to the requester, the organization and
 * the role as well as the gateway's submission id, so no message, even one that chose its
 * submissionId, can name (and join the workflow of) another person's request.
 */
export function submittedRequestId(cmd: Pick<CreateRoleRequestCommand, 'requesterId' | 'organizationId' | 'role' | 'submissionId'>): string {
  return uuidv5(JSON.stringify([cmd.requesterId, cmd.organizationId, cmd.role, cmd.submissionId]), REQUEST_ID_NAMESPACE);
}

@Injectable()
export class RoleRequestWorkflowsService {
  private readonly logger = new Logger(RoleRequestWorkflowsService.name);
  /** The program calendar's rules (issue 19), read from the configuration once: each submission carries its spans. */
  private readonly calendar: ProgramCalendarRules;

  constructor(
    @Inject(ACCESS_WORKFLOWS_CONFIG) private readonly config: AccessWorkflowsConfig,
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
    private readonly temporal: TemporalClientProvider,
    private readonly proofs: CallerProofVerifier,
  ) {
    this.calendar = programCalendarRules(config);
  }

  /**
   * Rules 1-2 and 6: one durable step. The request id is chosen here; the workflow starts with the
   * submission and records it, or is refused and ends having recorded nothing. When Temporal cannot
   * be reached nothing is written anywhere (the caller gets 503).
   */
  async submit(cmd: CreateRoleRequestCommand): Promise<RoleRequestView> {
    await this.proofs.verify(cmd.proof, { action: 'role-request.submit', target: proofTarget.submit(cmd.organizationId, cmd.role), actorId: cmd.requesterId });
    // A retry under the same Idempotency-Key names the same request (see CreateRoleRequestCommand).
    const requestId = cmd.submissionId ? submittedRequestId(cmd) : randomUUID();
    const input: RoleRequestWorkflowInput = {
      requestId,
      requesterId: cmd.requesterId,
      organizationId: cmd.organizationId,
      role: cmd.role,
      taskQueues: activityTaskQueues(this.config),
      timings: requestTimings(this.config),
      calendar: reminderCalendar(this.config, this.calendar, Date.now()),
      recordsSubmission: true,
    };
    const startWorkflowOperation = new WithStartWorkflowOperation(ROLE_REQUEST_WORKFLOW, {
      workflowId: roleRequestWorkflowId(requestId),
      taskQueue: taskQueue('accessWorkflows', this.config.TASK_QUEUE_PREFIX),
      // A retry of this submission joins its workflow while it runs (and its Update, by id, answers
      // as it did); once the request has closed, the id is never used for another request.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [input],
      // The HTTP request that submitted it (X-Request-Id), to find its log lines.
      ...(currentRequestId() ? { memo: { gatewayRequestId: currentRequestId() } } : {}),
      typedSearchAttributes: [
        { key: SEARCH_ATTRIBUTE_KEYS.organizationId, value: cmd.organizationId },
        { key: SEARCH_ATTRIBUTE_KEYS.requesterId, value: cmd.requesterId },
        { key: SEARCH_ATTRIBUTE_KEYS.requestedRole, value: cmd.role },
        { key: SEARCH_ATTRIBUTE_KEYS.requestStatus, value: 'PENDING' },
      ],
    });
    try {
      return await this.temporal.client.workflow.executeUpdateWithStart(submitUpdate, {
        updateId: `submit/${requestId}`,
        args: [{ justification: cmd.justification, proof: cmd.proof }],
        startWorkflowOperation,
      });
    } catch (err) {
      // A retry after the request closed: what the first attempt recorded.
      if (cmd.submissionId && err instanceof WorkflowExecutionAlreadyStartedError) return this.view(requestId, cmd.requesterId);
      throw domainErrorIn(err) ?? temporalUnavailable(err) ?? err;
    }
  }

  /**
   * The first decision wins (rule 5). One Update: the workflow refuses a closed request (409, who
   * decided what, when) and one's own, and answers a retry of the decision it recorded with that
   * record; the directory, recording it, refuses whoever may not decide (403). 200 means the role
   * is granted, or the request denied (final once its undo window closes: `undoUntil`).
   */
  async decide(cmd: DecideCommand): Promise<RoleRequestView> {
    await this.proofs.verify(cmd.proof, { action: cmd.decision === 'APPROVE' ? 'role-request.approve' : 'role-request.deny', target: proofTarget.request(cmd.requestId), actorId: cmd.deciderId });
    const handle = this.temporal.client.workflow.getHandle(roleRequestWorkflowId(cmd.requestId));
    try {
      const recorded = await handle.executeUpdate(decideUpdate, {
        updateId: decisionUpdateId(cmd.requestId, cmd.deciderId, cmd.decision, cmd.callId ?? randomUUID()),
        args: [{ deciderId: cmd.deciderId, decision: cmd.decision, reason: cmd.reason, reasonCode: cmd.reasonCode, proof: cmd.proof }],
      });
      return recorded.view ?? (await this.view(cmd.requestId, cmd.deciderId));
    } catch (err) {
      return this.answerAfterFailure(err, cmd.requestId, cmd.deciderId, cmd.decision === 'APPROVE' ? 'APPROVED' : 'DENIED');
    }
  }

  /** Rule 8: the requester withdraws a pending request; a retry answers 200 with the withdrawn request. */
  async withdraw(cmd: WithdrawCommand): Promise<RoleRequestView> {
    await this.proofs.verify(cmd.proof, { action: 'role-request.withdraw', target: proofTarget.request(cmd.requestId), actorId: cmd.requesterId });
    const handle = this.temporal.client.workflow.getHandle(roleRequestWorkflowId(cmd.requestId));
    try {
      const closed = await handle.executeUpdate(withdrawUpdate, {
        updateId: withdrawalUpdateId(cmd.requestId, cmd.requesterId),
        args: [{ requesterId: cmd.requesterId, proof: cmd.proof }],
      });
      return closed.view ?? (await this.view(cmd.requestId, cmd.requesterId));
    } catch (err) {
      return this.answerAfterFailure(err, cmd.requestId, cmd.requesterId, 'WITHDRAWN');
    }
  }

  /**
   * Many decisions of one decider (issue 17): each request decided exactly as if alone, by the
   * same Update as a single decision, a few at a time. One request's refusal (decided already,
   * not the caller's to decide) is its own result and does not fail the others. In order.
   */
  async decideMany(cmd: DecideManyCommand): Promise<DecisionResult[]> {
    const { items, ...decision } = cmd;
    return mapWithConcurrency(items, this.config.BULK_DECISION_CONCURRENCY, async ({ requestId, proof }): Promise<DecisionResult> => {
      try {
        return { requestId, request: await this.decide({ ...decision, requestId, proof }) };
      } catch (err) {
        if (err instanceof DomainError) return { requestId, error: err.toBody() };
        // The others are decided already: the batch still answers, this request with its failure.
        this.logger.error(`Bulk decision of request ${requestId} failed: ${err instanceof Error ? err.stack : String(err)}`);
        return { requestId, error: { code: ERROR_CODES.INTERNAL, message: 'Internal error: this request may not be decided; retry it' } };
      }
    });
  }

  /**
   * Issue 17: an approver undoes a denial inside its undo window; the request is PENDING again.
   * After the window (the workflow has announced the denial, or finished): 409 naming when it closed.
   */
  async undo(cmd: UndoCommand): Promise<RoleRequestView> {
    await this.proofs.verify(cmd.proof, { action: 'role-request.undo', target: proofTarget.request(cmd.requestId), actorId: cmd.actorId });
    const handle = this.temporal.client.workflow.getHandle(roleRequestWorkflowId(cmd.requestId));
    try {
      const undone = await handle.executeUpdate(undoUpdate, { updateId: undoUpdateId(cmd.requestId, cmd.actorId, randomUUID()), args: [{ actorId: cmd.actorId, proof: cmd.proof }] });
      return undone.view;
    } catch (err) {
      const refusal = domainErrorIn(err) ?? temporalUnavailable(err);
      if (refusal) throw refusal;
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      // The workflow has finished: whatever the request was, it is final now.
      const now = await this.view(cmd.requestId, cmd.actorId);
      if (now.status === 'DENIED') throw REFUSALS.undoWindowClosed(now.undoUntil ?? now.decidedAt ?? new Date().toISOString());
      throw REFUSALS.notUndoable(now.status);
    }
  }

  /**
   * What the caller is told when the Update did not succeed: the workflow's or directory's refusal
   * as it is; or, when the workflow has finished (the request closed and its emails went out) and
   * this Update was not one of its own, what the directory recorded: this caller's own outcome
   * (a late retry, 200) or who closed it (409). No workflow and no row: 404.
   */
  private async answerAfterFailure(err: unknown, requestId: string, actorId: string, outcome: string): Promise<RoleRequestView> {
    const refusal = domainErrorIn(err) ?? temporalUnavailable(err);
    if (refusal) throw refusal;
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    const now = await this.view(requestId, actorId);
    if (now.status === outcome && now.decidedBy?.id === actorId) return now;
    throw REFUSALS.alreadyClosed({ status: now.status, closedBy: now.decidedBy, closedAt: now.decidedAt });
  }

  private view(requestId: string, viewerId: string): Promise<RoleRequestView> {
    return call<RoleRequestView>(this.directory, DIRECTORY_PATTERNS.getRoleRequest, { requestId, viewerId });
  }
}
