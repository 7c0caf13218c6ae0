/**
 * Each service runs the work that touches its own data on its own task queue
 * (a prefix lets tests and parallel stacks share one Temporal namespace).
 */
export const TASK_QUEUES = {
  accessWorkflows: 'access-workflows',
  directory: 'directory',
  notifications: 'notifications',
  /** Webhook delivery attempts (issue 20), served by the directory on a worker of their own: a slow endpoint never holds a slot other work needs. */
  webhooks: 'webhooks',
} as const;
export type TaskQueueName = keyof typeof TASK_QUEUES;

export function taskQueue(name: TaskQueueName, prefix = ''): string {
  return prefix ? `${prefix}-${TASK_QUEUES[name]}` : TASK_QUEUES[name];
}
