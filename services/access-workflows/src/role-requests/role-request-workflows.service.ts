import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import {
  DIRECTORY_CLIENT,
  DIRECTORY_PATTERNS,
  DomainError,
  ERROR_CODES,
  proofTarget,
  type CreateRoleRequestCommand,
  type DecideCommand,
  type ListPendingQuery,
  type PendingRequestRef,
  type RoleRequestView,
  type WithdrawCommand,
} from '@am/contracts';
import { call, CallerProofVerifier, currentRequestId } from '@am/service-kit';
import {
  decideUpdate,
  ROLE_REQUEST_WORKFLOW,
  roleRequestWorkflowId,
  taskQueue,
  withdrawUpdate,
  type RoleRequestWorkflowInput,
} from '@am/workflow-contracts';
import { ACCESS_WORKFLOWS_CONFIG, requestTimings, type AccessWorkflowsConfig } from '../config/access-workflows.config';
import { toDomainError } from '../temporal/domain-errors';
import { TemporalClientProvider } from '../temporal/temporal-client.provider';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/search-attributes';

/** How long a caller refused because another decision is being recorded waits to be told which one won. */
const SETTLE_TIMEOUT_MS = 15_000;

/** Submits role requests as workflows and delivers decisions and withdrawals to them as Updates. */
@Injectable()
export class RoleRequestWorkflowsService {
  private readonly logger = new Logger(RoleRequestWorkflowsService.name);

  constructor(
    @Inject(ACCESS_WORKFLOWS_CONFIG) private readonly config: AccessWorkflowsConfig,
    @Inject(DIRECTORY_CLIENT) private readonly directory: ClientProxy,
    private readonly temporal: TemporalClientProvider,
    private readonly proofs: CallerProofVerifier,
  ) {}

  async submit(cmd: CreateRoleRequestCommand): Promise<RoleRequestView> {
    await this.proofs.verify(cmd.proof, { action: 'role-request.submit', target: proofTarget.submit(cmd.organizationId, cmd.role), actorId: cmd.requesterId });
    const request = await call<RoleRequestView>(this.directory, DIRECTORY_PATTERNS.createRoleRequest, cmd);
    // Should this start fail, the request is still PENDING in the directory and the reconciler
    // starts its workflow on the next boot: nothing is lost.
    await this.ensureWorkflow(refOf(request));
    return request;
  }

  /**
   * The first decision wins (rule 5). The directory answers who may decide (403/404/409 with
   * reasons) before Temporal is asked; the workflow's validator then admits one decision at a
   * time and refuses a decided request. A caller refused while another decision is being recorded
   * waits for it and is told who decided what, when; the same decision by the same approver,
   * retried, answers 200 with what was recorded.
   */
  async decide(cmd: DecideCommand): Promise<RoleRequestView> {
    await this.proofs.verify(cmd.proof, { action: cmd.decision === 'APPROVE' ? 'role-request.approve' : 'role-request.deny', target: proofTarget.request(cmd.requestId), actorId: cmd.deciderId });
    const wanted = cmd.decision === 'APPROVE' ? 'APPROVED' : 'DENIED';
    const request = await this.sameOutcomeOr(cmd.requestId, cmd.deciderId, wanted, () =>
      call<RoleRequestView>(this.directory, DIRECTORY_PATTERNS.checkDecider, { requestId: cmd.requestId, deciderId: cmd.deciderId }),
    );
    if (request.status !== 'PENDING') return request;
    await this.update(request, cmd.deciderId, wanted, (h) =>
      h.executeUpdate(decideUpdate, { args: [{ deciderId: cmd.deciderId, decision: cmd.decision, reason: cmd.reason, proof: cmd.proof }] }),
    );
    return this.view(cmd.requestId, cmd.deciderId);
  }

  /** Rule 8: the requester withdraws a pending request; a retry answers 200 with the withdrawn request. */
  async withdraw(cmd: WithdrawCommand): Promise<RoleRequestView> {
    await this.proofs.verify(cmd.proof, { action: 'role-request.withdraw', target: proofTarget.request(cmd.requestId), actorId: cmd.requesterId });
    const request = await this.view(cmd.requestId, cmd.requesterId);
    if (request.requester.id !== cmd.requesterId) throw new DomainError(ERROR_CODES.FORBIDDEN, 'Only the requester can withdraw a request');
    if (request.status === 'WITHDRAWN') return request;
    if (request.status !== 'PENDING') throw conflictOf(request);
    await this.update(request, cmd.requesterId, 'WITHDRAWN', (h) => h.executeUpdate(withdrawUpdate, { args: [{ requesterId: cmd.requesterId, proof: cmd.proof }] }));
    return this.view(cmd.requestId, cmd.requesterId);
  }

  /** Starts the request's workflow unless one exists already (running or finished). */
  async ensureWorkflow(ref: PendingRequestRef): Promise<boolean> {
    const input: RoleRequestWorkflowInput = {
      ...ref,
      taskQueues: {
        directory: taskQueue('directory', this.config.TASK_QUEUE_PREFIX),
        notifications: taskQueue('notifications', this.config.TASK_QUEUE_PREFIX),
      },
      timings: requestTimings(this.config),
    };
    try {
      await this.temporal.client.workflow.start(ROLE_REQUEST_WORKFLOW, {
        workflowId: roleRequestWorkflowId(ref.requestId),
        taskQueue: taskQueue('accessWorkflows', this.config.TASK_QUEUE_PREFIX),
        // One workflow per request, ever: a finished one is never started again.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        args: [input],
        // The HTTP request that submitted it (X-Request-Id), to find its log lines; none when the reconciler starts it.
        ...(currentRequestId() ? { memo: { gatewayRequestId: currentRequestId() } } : {}),
        typedSearchAttributes: [
          { key: SEARCH_ATTRIBUTE_KEYS.organizationId, value: ref.organizationId },
          { key: SEARCH_ATTRIBUTE_KEYS.requesterId, value: ref.requesterId },
          { key: SEARCH_ATTRIBUTE_KEYS.requestedRole, value: ref.role },
          { key: SEARCH_ATTRIBUTE_KEYS.requestStatus, value: 'PENDING' },
        ],
      });
      return true;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw err;
    }
  }

  /** Gives every pending request in the directory its workflow; returns how many were started. */
  async reconcile(pageSize = 500): Promise<number> {
    let started = 0;
    let afterId: string | undefined;
    for (;;) {
      const query: ListPendingQuery = { afterId, limit: pageSize };
      const page = await call<PendingRequestRef[]>(this.directory, DIRECTORY_PATTERNS.listPending, query);
      for (const ref of page) if (await this.ensureWorkflow(ref)) started++;
      if (page.length < pageSize) break;
      afterId = page[page.length - 1].requestId;
    }
    if (started) this.logger.log(`Started ${started} workflow(s) for pending requests that had none`);
    return started;
  }

  /**
   * Sends an Update to the request's workflow (starting the workflow first if it has none), and
   * turns a refusal into the domain error the caller is told.
   */
  private async update(request: RoleRequestView, actorId: string, outcome: string, send: (h: WorkflowHandle) => Promise<unknown>): Promise<void> {
    const handle = this.temporal.client.workflow.getHandle(roleRequestWorkflowId(request.id));
    try {
      await send(handle).catch(async (err: unknown) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        // A pending request whose workflow was never started (cut off at submit): start it now.
        // If it exists but has finished, the request is closed: the directory says how.
        if (!(await this.ensureWorkflow(refOf(request)))) {
          const now = await this.view(request.id, actorId);
          throw now.status === 'PENDING' ? err : conflictOf(now);
        }
        return send(handle);
      });
    } catch (err) {
      const domain = toDomainError(err);
      if (domain instanceof DomainError && domain.code === ERROR_CODES.ALREADY_DECIDED) {
        // Refused because another decision is (or was) being recorded: wait for it, then say which.
        const settled = await this.settled(request.id, actorId);
        if (sameOutcome(settled, actorId, outcome)) return;
        throw conflictOf(settled);
      }
      throw domain;
    }
  }

  /** Runs a check that may answer "already decided"; when it was this actor's own outcome, returns the request instead. */
  private async sameOutcomeOr(requestId: string, actorId: string, outcome: string, check: () => Promise<RoleRequestView>): Promise<RoleRequestView> {
    try {
      return await check();
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== ERROR_CODES.ALREADY_DECIDED) throw err;
      const details = err.details as { status?: string; decidedById?: string | null } | undefined;
      if (details?.status === outcome && details.decidedById === actorId) return this.view(requestId, actorId);
      throw err;
    }
  }

  /** Waits until the directory no longer shows the request PENDING (a decision in flight has landed). */
  private async settled(requestId: string, viewerId: string): Promise<RoleRequestView> {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    for (;;) {
      const view = await this.view(requestId, viewerId);
      if (view.status !== 'PENDING') return view;
      if (Date.now() > deadline) throw new DomainError(ERROR_CODES.ALREADY_DECIDED, 'Another decision on this request is being recorded; try again shortly');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private view(requestId: string, viewerId: string): Promise<RoleRequestView> {
    return call<RoleRequestView>(this.directory, DIRECTORY_PATTERNS.getRoleRequest, { requestId, viewerId });
  }
}

function refOf(request: RoleRequestView): PendingRequestRef {
  return { requestId: request.id, requesterId: request.requester.id, organizationId: request.organization.id, role: request.role };
}

function sameOutcome(view: RoleRequestView, actorId: string, outcome: string): boolean {
  return view.status === outcome && view.decidedBy?.id === actorId;
}

/** 409 naming who decided what, when (rule 5). */
function conflictOf(view: RoleRequestView): DomainError {
  const message =
    view.status === 'EXPIRED'
      ? `This request expired undecided at ${view.decidedAt}`
      : `This request was already ${view.status.toLowerCase()} by ${view.decidedBy?.displayName ?? 'someone'} at ${view.decidedAt}`;
  return new DomainError(ERROR_CODES.ALREADY_DECIDED, message, undefined, {
    status: view.status,
    decidedBy: view.decidedBy?.displayName ?? null,
    decidedById: view.decidedBy?.id ?? null,
    decidedAt: view.decidedAt,
  });
}
