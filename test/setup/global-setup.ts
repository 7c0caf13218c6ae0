// Starts the real parts once per test run: a Temporal dev server, a fresh PostgreSQL database,
// MailDev as the SMTP server, and the four services as separate processes. The database lives on
// TEST_DATABASE_SERVER_URL, else on the server at 127.0.0.1:5432, else on an embedded PostgreSQL
// server started for this run (fresh data folder, removed by the teardown).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  createScratchDatabase,
  databaseServerForTests,
  freePort,
  generateStackSecrets,
  REPO_ROOT,
  resolveTemporalCli,
  startMailCatcher,
  startServices,
  startTemporalServer,
  type DatabaseServer,
  type MailCatcher,
  type RunningServices,
  type ScratchDatabase,
  type TemporalServer,
} from '@am/devstack';
import globalTeardown from './global-teardown';
import { publishStack } from './stack';

export interface Started {
  temporal?: TemporalServer;
  databaseServer?: DatabaseServer;
  database?: ScratchDatabase;
  mail?: MailCatcher;
  services?: RunningServices;
}
declare global {
  var __AM_STACK__: Started | undefined;
}

export default async function globalSetup(): Promise<void> {
  const started: Started = {};
  globalThis.__AM_STACK__ = started;
  try {
    await startStack(started);
  } catch (err) {
    // Jest does not run the teardown when setup fails: stop what did start, then fail.
    await globalTeardown();
    throw err;
  }
}

async function startStack(started: Started): Promise<void> {
  const logDir = join(REPO_ROOT, '.data', 'test-logs', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(logDir, { recursive: true });

  const cli = resolveTemporalCli();
  if (!cli) {
    throw new Error('No Temporal CLI found: run `npm run temporal:ensure` (builds the pinned CLI with Go), or set TEMPORAL_CLI.');
  }
  const [temporalPort, smtpPort, webPort, gatewayPort, dirPort, awPort, notPort] = await Promise.all(Array.from({ length: 7 }, () => freePort()));

  // Each part is recorded as soon as it runs, and all are waited for, so a failure of one still
  // lets the teardown stop the others.
  const parts = await Promise.allSettled([
    startTemporalServer({ cli, port: temporalPort, logFile: join(logDir, 'temporal.log') }).then((t) => (started.temporal = t)),
    (async () => {
      started.databaseServer = await databaseServerForTests({ given: process.env.TEST_DATABASE_SERVER_URL, logFile: join(logDir, 'postgres.log') });
      started.database = await createScratchDatabase(started.databaseServer.url);
    })(),
    startMailCatcher({ smtpPort, webPort, logFile: join(logDir, 'maildev.log') }).then((m) => (started.mail = m)),
  ]);
  for (const p of parts) if (p.status === 'rejected') throw p.reason;
  if (!started.temporal || !started.database || !started.mail) throw new Error('unreachable: every part started');

  const taskQueuePrefix = `test-${process.pid}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    DATABASE_URL: started.database.url,
    TEMPORAL_ADDRESS: started.temporal.address,
    TEMPORAL_NAMESPACE: started.temporal.namespace,
    TASK_QUEUE_PREFIX: taskQueuePrefix,
    SMTP_URL: started.mail.smtpUrl,
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: String(gatewayPort),
    DIRECTORY_PORT: String(dirPort),
    ACCESS_WORKFLOWS_PORT: String(awPort),
    NOTIFICATIONS_PORT: String(notPort),
    // This run's own keys (issue 14): session tokens, caller proofs, TOTP secrets at rest.
    ...generateStackSecrets(),
    CORS_ORIGINS: 'http://ui.example.test',
    // Every test calls the public account routes from 127.0.0.1: the per-address limit would be
    // shared by all of them (the per-account limit, which tests exercise, stays at its default).
    ACCOUNT_RATE_LIMIT_PER_CLIENT: '100000',
    // Likewise sign-in per client: test/security runs its own gateways with a low limit.
    AUTH_RATE_LIMIT_PER_CLIENT: '100000',
    // A denial is final (and the requester told) after this: long enough for a test to undo one
    // (API or browser), short enough that tests of the denial's email wait for it (issue 17).
    DENY_UNDO_WINDOW: '20s',
    // A nomination expires unanswered after this (issue 18): short enough that the expiry is tested
    // on this stack; the tests that accept or decline answer within it, through the API.
    NOMINATION_EXPIRES_AFTER: '15s',
    // Access reviews (issue 18): reminders and the help desk's alert within a test's 20-second
    // review. The yearly schedule is tested on a stack of its own with its own database
    // (test/e2e/access-review-schedule): an all-organization campaign here would touch every test's data.
    ACCESS_REVIEW_REMINDER_INTERVAL: '6s',
    ACCESS_REVIEW_ESCALATE_BEFORE: '9s',
    ACCESS_REVIEW_YEARLY_ON: 'off',
    // The daily digest (issue 19) is tested on a stack of its own with its own database
    // (test/e2e/email-digest): a schedule here would send digests to other tests' users.
    DIGEST_RUN_EVERY: 'off',
    // Where people reach this stack: the personal calendar feed's URL and the emails' links start with it.
    WEB_BASE_URL: `http://127.0.0.1:${gatewayPort}`,
    // The program calendar (issue 19), one set for every service: the defaults, but for a targeted
    // review of 45 days, so that tests of GET /program-calendar see the configuration, not a default.
    REGISTRATION_WINDOW: '04-01/06-30',
    SUBMISSION_PERIOD: '01-02/03-31',
    FEEDBACK_RELEASED_ON: '07-01',
    TARGETED_REVIEW_DAYS: '45',
    HIGH_VOLUME_PERIODS: 'SUBMISSION,TARGETED_REVIEW',
    PROGRAM_CALENDAR_OVERRIDES: '[]',
    // Outbound webhooks (issue 20): the tests' receivers listen on 127.0.0.1, and a failing endpoint
    // is retried within a test's time. Pausing after WEBHOOK_DISABLE_AFTER is tested on a stack of its own.
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_RETRY_INITIAL: '1s',
    WEBHOOK_RETRY_MAX_INTERVAL: '2s',
    WEBHOOK_RETRY_FOR: '2 minutes',
  };
  started.services = await startServices({ env, logDir });

  publishStack({
    gatewayUrl: started.services.gatewayUrl,
    databaseUrl: started.database.url,
    temporalAddress: started.temporal.address,
    temporalNamespace: started.temporal.namespace,
    taskQueuePrefix,
    mailWebUrl: started.mail.webUrl,
    smtpUrl: started.mail.smtpUrl,
    logDir,
    serviceEnv: env,
  });
}
