import { z } from 'zod';
import {
  ACCESS_REVIEW_UNREVIEWED_POLICIES,
  calendarProblems,
  overrideBoundProblem,
  parseMonthDay,
  parseMonthDayRange,
  PROGRAM_PERIOD_KINDS,
  type ProgramCalendarRules,
} from '@am/contracts';
import { msToNumber } from '@temporalio/common/lib/time';
import { internalTrustProblems, optionalVar, pemFileVar } from './tls';

/**
 * Reads and validates the environment once, at startup. Every invalid variable is listed at
 * once, so an operator fixes them in one go; nothing else in a service reads process.env.
 */
export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<S>> {
  const parsed = z.object(shape).safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  // The rules between the transport variables (what goes together, what production demands).
  if (Object.keys(commonShape).every((k) => k in shape)) {
    problems.push(...internalTrustProblems(commonShape, env, parsed.success ? (parsed.data as Partial<CommonConfig>) : undefined));
  }
  // The rules between the calendar's variables (periods that overlap from year to year, overrides repeated).
  if (parsed.success && Object.keys(programCalendarShape).every((k) => k in shape)) {
    problems.push(...calendarProblems(programCalendarRules(parsed.data as ProgramCalendarConfig), Date.now()));
  }
  if (!parsed.success || problems.length > 0) {
    const lines = problems.map((p) => `  ${p.path}: ${p.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/**
 * Access reviews (issue 18), read alike by access-workflows (which schedules and runs the reviews)
 * and the directory (which records them, and holds to these whatever a workflow's input says).
 */
export const accessReviewPolicyShape = {
  /** The yearly campaign starts on this day (MM-DD, 05:00 UTC), or never ("off"). */
  ACCESS_REVIEW_YEARLY_ON: z
    .string()
    .default('12-01')
    .refine((v) => v === 'off' || /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(v), { message: 'must be a date MM-DD (e.g. 12-01) or "off"' }),
  /** What the due date does to users nobody reviewed: keep them (default) or remove them (never the last Security Official). */
  ACCESS_REVIEW_UNREVIEWED: z.enum(ACCESS_REVIEW_UNREVIEWED_POLICIES).default('keep'),
};

const monthDayRange = (dflt: string, example: string) =>
  z
    .string()
    .default(dflt)
    .refine((v) => parseMonthDayRange(v) !== null, `must be MM-DD/MM-DD with real dates, e.g. ${example}`);

const periodOverride = z
  .object({
    kind: z.enum(PROGRAM_PERIOD_KINDS),
    performanceYear: z.number().int().min(2017).max(2100),
    starts: z.string().superRefine((v, ctx) => void (overrideBoundProblem(v) && ctx.addIssue({ code: 'custom', message: overrideBoundProblem(v)! }))),
    ends: z.string().superRefine((v, ctx) => void (overrideBoundProblem(v) && ctx.addIssue({ code: 'custom', message: overrideBoundProblem(v)! }))),
  })
  .strict();

/**
 * The program calendar (issue 19), the one source of its dates, read alike by the gateway (which
 * answers it and its feed), the directory (rule 11's registration window) and access-workflows
 * (reminders go sooner in high-volume periods). Every date is a UTC day.
 */
export const programCalendarShape = {
  /** Rule 11: when practices may edit their CMS Web Interface / CAHPS registration, in the performance year, inclusive. */
  REGISTRATION_WINDOW: monthDayRange('04-01/06-30', '04-01/06-30'),
  /** The submission period, in the year after the performance year, inclusive. */
  SUBMISSION_PERIOD: monthDayRange('01-02/03-31', '01-02/03-31'),
  /** When performance feedback is released (MM-DD, the year after the performance year): the targeted review period opens. */
  FEEDBACK_RELEASED_ON: z
    .string()
    .default('07-01')
    .refine((v) => parseMonthDay(v) !== null, 'must be a date MM-DD, e.g. 07-01'),
  /** How many days the targeted review period lasts from the feedback's release. */
  TARGETED_REVIEW_DAYS: z.coerce.number().int().positive().default(60),
  /** Which periods bring a high volume of requests (reminders go sooner): a comma-separated list of REGISTRATION, SUBMISSION, TARGETED_REVIEW, or "none". */
  HIGH_VOLUME_PERIODS: z
    .string()
    .default('SUBMISSION,TARGETED_REVIEW')
    .transform((v, ctx) => {
      if (v.trim() === 'none') return [];
      const kinds = v.split(',').map((k) => k.trim());
      const unknown = kinds.filter((k) => !(PROGRAM_PERIOD_KINDS as readonly string[]).includes(k));
      if (unknown.length) ctx.addIssue({ code: 'custom', message: `must list periods among ${PROGRAM_PERIOD_KINDS.join(', ')} (or be "none"); unknown: ${unknown.join(', ')}` });
      return kinds as (typeof PROGRAM_PERIOD_KINDS)[number][];
    }),
  /**
   * One year's period on its own dates, when the program moves them: a JSON array of
   * {kind, performanceYear, starts, ends}, each bound an ISO date (inclusive) or an instant.
   */
  PROGRAM_CALENDAR_OVERRIDES: z
    .string()
    .default('[]')
    .transform((v, ctx) => {
      let json: unknown;
      try {
        json = JSON.parse(v);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {kind, performanceYear, starts, ends}' });
        return z.NEVER;
      }
      const parsed = z.array(periodOverride).safeParse(json);
      if (!parsed.success) {
        for (const i of parsed.error.issues) ctx.addIssue({ code: 'custom', message: `${i.path.join('.') || '(the list)'}: ${i.message}` });
        return z.NEVER;
      }
      return parsed.data;
    }),
};
export type ProgramCalendarConfig = z.infer<z.ZodObject<typeof programCalendarShape>>;

/** The calendar's rules from its configuration (validated already: every part parses). */
export function programCalendarRules(c: ProgramCalendarConfig): ProgramCalendarRules {
  return {
    registration: parseMonthDayRange(c.REGISTRATION_WINDOW)!,
    submission: parseMonthDayRange(c.SUBMISSION_PERIOD)!,
    targetedReview: { feedbackReleasedOn: parseMonthDay(c.FEEDBACK_RELEASED_ON)!, days: c.TARGETED_REVIEW_DAYS },
    highVolume: c.HIGH_VOLUME_PERIODS,
    overrides: c.PROGRAM_CALENDAR_OVERRIDES,
  };
}

/** A positive duration such as "2 days", "36h", "90s" or "500ms", read as milliseconds. */
const duration = (dflt: string) =>
  z
    .string()
    .default(dflt)
    .transform((value, ctx) => {
      let ms = NaN;
      try {
        ms = msToNumber(value as Parameters<typeof msToNumber>[0]);
      } catch {
        // reported below
      }
      if (!Number.isFinite(ms) || ms <= 0) {
        ctx.addIssue({ code: 'custom', message: `must be a positive duration such as "2 days", "36h" or "90s" (got "${value}")` });
        return z.NEVER;
      }
      return ms;
    });

/** A positive duration (milliseconds), or "off". */
const durationOrOff = (dflt: string) =>
  z
    .string()
    .default(dflt)
    .transform((value, ctx): number | 'off' => {
      if (value === 'off') return 'off';
      const ms = msOf(value);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: `must be a positive duration such as "15 minutes", or "off" (got "${value}")` });
        return z.NEVER;
      }
      return ms;
    });

function msOf(value: string): number | null {
  try {
    const ms = msToNumber(value as Parameters<typeof msToNumber>[0]);
    return Number.isFinite(ms) && ms > 0 ? ms : null;
  } catch {
    return null;
  }
}

/** Shared variable shapes, so every service spells and defaults them alike. */
export const env = {
  /** A positive duration such as "2 days", "36h" or "90s", read as milliseconds. */
  duration,
  durationOrOff,
  host: (dflt: string) => z.string().min(1).default(dflt),
  port: (dflt: number) => z.coerce.number().int().min(0).max(65535).default(dflt),
  positiveInt: (dflt: number) => z.coerce.number().int().positive().default(dflt),
  url: () => z.string().url(),
  optionalString: () => z.string().min(1).optional(),
  string: (dflt: string) => z.string().default(dflt),
};

/** Where each service listens for @nestjs/microservices TCP messages, and where Temporal is. */
export const commonShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  TEMPORAL_ADDRESS: env.host('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: env.host('default'),
  /** Prefixes every task queue, so parallel stacks (and tests) can share one Temporal server. */
  TASK_QUEUE_PREFIX: env.string(''),
  /** The @nestjs/microservices transport between the services: TCP, or a NATS cluster for several instances. */
  TRANSPORT: z.enum(['tcp', 'nats']).default('tcp'),
  NATS_URL: z.string().regex(/^nats:\/\//, 'must be a nats:// URL (several: comma-separated)').default('nats://127.0.0.1:4222'),
  DIRECTORY_HOST: env.host('127.0.0.1'),
  DIRECTORY_PORT: env.port(4001),
  ACCESS_WORKFLOWS_HOST: env.host('127.0.0.1'),
  ACCESS_WORKFLOWS_PORT: env.port(4002),
  NOTIFICATIONS_HOST: env.host('127.0.0.1'),
  NOTIFICATIONS_PORT: env.port(4003),
  // Internal trust (docs/SECURITY.md). Each *_FILE is a PEM file read once, here, at start-up.
  /** Mutual TLS on the TCP transport: the CA that signs every service's certificate, and this service's own. All three or none. */
  INTERNAL_TLS_CA_FILE: pemFileVar('ca'),
  INTERNAL_TLS_CERT_FILE: pemFileVar('cert'),
  INTERNAL_TLS_KEY_FILE: pemFileVar('key'),
  /** NATS credentials: a user and password, or a token. */
  NATS_USER: optionalVar(),
  NATS_PASSWORD: optionalVar(),
  NATS_TOKEN: optionalVar(),
  /** TLS to NATS (any of them turns it on): the CA of the server's certificate; a client certificate when the server verifies clients. */
  NATS_TLS_CA_FILE: pemFileVar('ca'),
  NATS_TLS_CERT_FILE: pemFileVar('cert'),
  NATS_TLS_KEY_FILE: pemFileVar('key'),
  /** TLS to Temporal (any of them turns it on): the server's CA (else the system's), a client certificate for mutual TLS, the name to verify. */
  TEMPORAL_TLS_CA_FILE: pemFileVar('ca'),
  TEMPORAL_TLS_CERT_FILE: pemFileVar('cert'),
  TEMPORAL_TLS_KEY_FILE: pemFileVar('key'),
  TEMPORAL_TLS_SERVER_NAME: optionalVar(),
};
export type CommonConfig = z.infer<z.ZodObject<typeof commonShape>>;
