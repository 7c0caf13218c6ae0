import { proxyActivities } from '@temporalio/workflow';
import type { DirectoryActivities, NotificationActivities } from '@am/workflow-contracts';

/** The activities every workflow here calls, on the task queues its input names, with their retry policies. */
export function serviceActivities(taskQueues: { directory: string; notifications: string }) {
  return {
    directory: proxyActivities<DirectoryActivities>({
      taskQueue: taskQueues.directory,
      startToCloseTimeout: '30 seconds',
      retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
    }),
    notifications: notificationActivities(taskQueues.notifications),
  };
}

/** The notifications service's activities on its task queue. */
export function notificationActivities(taskQueue: string) {
  return proxyActivities<NotificationActivities>({
    taskQueue,
    startToCloseTimeout: '1 minute',
    // A mail server that is down delays the email; it never loses it.
    retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes' },
  });
}
