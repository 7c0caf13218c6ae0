import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError, type Connection } from '@temporalio/client';
import { connectTemporalClient } from '@am/service-kit';
import { ACCOUNT_EMAIL_WORKFLOW, accountEmailWorkflowId, taskQueue, type AccountEmailWorkflowInput } from '@am/workflow-contracts';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config/notifications.config';

/** Starts the delivery workflow of a recorded account email (on the access-workflows worker). */
@Injectable()
export class AccountEmailWorkflows implements OnApplicationShutdown {
  private client?: Promise<{ connection: Connection; client: Client }>;

  constructor(@Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig) {}

  /** Starts it once: a retried queue call finds the workflow already running (or done) and leaves it. */
  async start(idempotencyKey: string): Promise<void> {
    const { client } = await this.connect();
    const input: AccountEmailWorkflowInput = { idempotencyKey, taskQueues: { notifications: taskQueue('notifications', this.config.TASK_QUEUE_PREFIX) } };
    try {
      await client.workflow.start(ACCOUNT_EMAIL_WORKFLOW, {
        workflowId: accountEmailWorkflowId(idempotencyKey),
        taskQueue: taskQueue('accessWorkflows', this.config.TASK_QUEUE_PREFIX),
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  // Connected on first use: the service answers its other messages even while Temporal is away.
  private connect() {
    this.client ??= connectTemporalClient(this.config).then((connection) => ({
      connection,
      client: new Client({ connection, namespace: this.config.TEMPORAL_NAMESPACE }),
    }));
    this.client.catch(() => (this.client = undefined));
    return this.client;
  }

  async onApplicationShutdown(): Promise<void> {
    const c = await this.client?.catch(() => undefined);
    await c?.connection.close();
  }
}
