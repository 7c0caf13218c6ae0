import { z } from 'zod';
import { highVolumeSpans, type ProgramCalendarRules } from '@am/contracts';
import { accessReviewPolicyShape, callerProofPublicKeys, commonShape, env, loadConfig, programCalendarShape } from '@am/service-kit';
import { taskQueue, type AccessReviewTimings, type ReminderCalendar, type RequestTimings } from '@am/workflow-contracts';

const { duration, durationOrOff } = env;

export const accessWorkflowsConfigShape = {
  ...commonShape,
  /** The gateway's caller-proof public keys (a JWK Set): decisions, withdrawals, submissions and removals must carry a proof they verify. */
  CALLER_PROOF_PUBLIC_KEYS: callerProofPublicKeys(),
  /** Rule 7: when a pending request first reminds its approvers, then how often. */
  REMINDER_FIRST_AFTER: duration('2 days'),
  REMINDER_INTERVAL: duration('3 days'),
  /** The help desk is alerted together with this reminder. */
  ESCALATE_WITH_REMINDER: env.positiveInt(3),
  /**
   * Issue 19: inside the program calendar's high-volume periods (HIGH_VOLUME_PERIODS) a pending
   * request reminds sooner: first after this long, then as often, alerting the help desk with this
   * reminder. Outside them the three above apply; a request changes pace at a period's boundary.
   */
  HIGH_VOLUME_REMINDER_FIRST_AFTER: duration('1 day'),
  HIGH_VOLUME_REMINDER_INTERVAL: duration('1 day'),
  HIGH_VOLUME_ESCALATE_WITH_REMINDER: env.positiveInt(3),
  /** The program calendar (issue 19): its high-volume periods pace the reminders. */
  ...programCalendarShape,
  /** An undecided request expires this long after it was submitted. */
  REQUEST_EXPIRES_AFTER: duration('30 days'),
  /**
   * Issue 17: a denial can be undone by any approver of the request for this long; only then is it
   * final and the requester told. Kept in each request's workflow as a durable timer.
   */
  DENY_UNDO_WINDOW: duration('10 minutes'),
  /**
   * Issue 18: a nomination of a backup Security Official expires unanswered this long after it was
   * made (the nominator is told). Copied into each nomination's workflow when it starts.
   */
  NOMINATION_EXPIRES_AFTER: duration('14 days'),
  /**
   * Access reviews (issue 18). The yearly campaign starts on ACCESS_REVIEW_YEARLY_ON (MM-DD, 05:00
   * UTC; "off": no schedule) and is due ACCESS_REVIEW_DUE_AFTER later; the default, 1 December and
   * 30 days, ends before the submission period opens in January.
   */
  ...accessReviewPolicyShape,
  ACCESS_REVIEW_DUE_AFTER: duration('30 days'),
  /** A review reminds its reviewers this long after it opened, then as often, while users wait. */
  ACCESS_REVIEW_REMINDER_INTERVAL: duration('7 days'),
  /** The help desk is alerted this long before a review's due date when users still wait. */
  ACCESS_REVIEW_ESCALATE_BEFORE: duration('3 days'),
  /** How many review workflows the campaign's activity starts at once. */
  ACCESS_REVIEW_START_CONCURRENCY: env.positiveInt(32),
  /**
   * How many review workflows a campaign opens a second, at most: a campaign is background work
   * due in weeks, and opening thousands at once would starve the requests people are waiting on
   * (docs/BENCHMARKS.md: on two cores, 1 and 5 a second left the lifecycle's throughput unchanged,
   * 15 stalled it). 2 a second opens 10,000 organizations in under an hour and a half; raise it
   * with the capacity.
   */
  ACCESS_REVIEW_OPEN_RATE: z.coerce.number().positive().max(10_000).default(2),
  /**
   * The daily email digest (issue 19): its Temporal Schedule runs this often and sends every digest
   * due by then (a user's local hour past their digest hour); "off": no schedule. 15 minutes by
   * default, so that a digest goes out within a quarter hour of its hour, in half-hour zones too.
   */
  DIGEST_RUN_EVERY: durationOrOff('15 minutes'),
  /** Bulk decisions (issue 17): how many of a batch's Updates are in flight at once. */
  BULK_DECISION_CONCURRENCY: env.positiveInt(16),
  /**
   * How many request workflows the worker keeps in memory (about 0.3 MiB each, measured by
   * `npm run bench`); the others are rebuilt from their history when they next have work. Bounds
   * the worker's memory however many requests are open (docs/BENCHMARKS.md).
   */
  WORKFLOW_CACHE_SIZE: env.positiveInt(1000),
};
export type AccessWorkflowsConfig = ReturnType<typeof loadAccessWorkflowsConfig>;
export const ACCESS_WORKFLOWS_CONFIG = Symbol('ACCESS_WORKFLOWS_CONFIG');

export function loadAccessWorkflowsConfig(source: NodeJS.ProcessEnv = process.env) {
  return loadConfig(accessWorkflowsConfigShape, source);
}

/** The timings a new request's workflow is started with (fixed for its whole life). */
export function requestTimings(config: AccessWorkflowsConfig): RequestTimings {
  return {
    firstReminderAfterMs: config.REMINDER_FIRST_AFTER,
    reminderIntervalMs: config.REMINDER_INTERVAL,
    escalateWithReminder: config.ESCALATE_WITH_REMINDER,
    expireAfterMs: config.REQUEST_EXPIRES_AFTER,
    denyUndoWindowMs: config.DENY_UNDO_WINDOW,
  };
}

/**
 * The program calendar as a request started at `now` carries it (issue 19): the high-volume spans
 * over its whole life (it expires REQUEST_EXPIRES_AFTER after), and the pace inside them. `rules`
 * are the configuration's (programCalendarRules), read once by the caller.
 */
export function reminderCalendar(config: AccessWorkflowsConfig, rules: ProgramCalendarRules, now: number): ReminderCalendar {
  const spans = highVolumeSpans(rules, now, now + config.REQUEST_EXPIRES_AFTER + 86_400_000);
  return {
    highVolume: spans.map((s) => ({ from: new Date(s.from).toISOString(), to: new Date(s.to).toISOString() })),
    pace: {
      firstReminderAfterMs: config.HIGH_VOLUME_REMINDER_FIRST_AFTER,
      reminderIntervalMs: config.HIGH_VOLUME_REMINDER_INTERVAL,
      escalateWithReminder: config.HIGH_VOLUME_ESCALATE_WITH_REMINDER,
    },
  };
}

/** The timings a new access review's workflow is started with (fixed for its whole life). */
export function accessReviewTimings(config: AccessWorkflowsConfig): AccessReviewTimings {
  return {
    reminderIntervalMs: config.ACCESS_REVIEW_REMINDER_INTERVAL,
    escalateBeforeMs: config.ACCESS_REVIEW_ESCALATE_BEFORE,
    unreviewedPolicy: config.ACCESS_REVIEW_UNREVIEWED,
  };
}

/** The task queues of the services whose activities a workflow started here calls (its input names them). */
export function activityTaskQueues(config: AccessWorkflowsConfig): { directory: string; notifications: string } {
  return { directory: taskQueue('directory', config.TASK_QUEUE_PREFIX), notifications: taskQueue('notifications', config.TASK_QUEUE_PREFIX) };
}
