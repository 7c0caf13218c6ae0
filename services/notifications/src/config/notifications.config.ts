import { z } from 'zod';
import { commonShape, env, loadConfig } from '@am/service-kit';

export const notificationsConfigShape = {
  ...commonShape,
  /** The shared PostgreSQL database; this service keeps its tables in its own schema (DATABASE_SCHEMA). */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
  /** The PostgreSQL schema that holds the email ledger and the in-app notices. */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .default('notifications'),
  /** Connections in the pool. */
  DATABASE_POOL_MAX: env.positiveInt(5),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').default('smtp://127.0.0.1:1025'),
  /** SMTP connections kept open and reused (nodemailer's pool) instead of one per message. */
  SMTP_POOL_SIZE: env.positiveInt(5),
  MAIL_FROM: z.string().min(3).default('Access Manager <no-reply@access-manager.example>'),
  /** Where links in emails and notices point: the web UI served by the gateway. */
  WEB_BASE_URL: z
    .string()
    .url()
    .default('http://127.0.0.1:3000')
    .transform((u) => u.replace(/\/+$/, '')),
  /** The support contact footer of every email (the guides' "Have questions?" block by default). */
  SUPPORT_PHONE: env.string('1-866-288-8292 (TTY: 1-877-715-6222)'),
  SUPPORT_EMAIL: env.string('QPP@cms.hhs.gov'),
  SUPPORT_HOURS: env.string('Monday – Friday, 8am – 8pm EST'),
  /**
   * How long one attempt may hold an email before another attempt may send it: longer than the
   * SMTP timeouts, so two attempts never send the same email at once.
   */
  SMTP_SEND_LEASE_SECONDS: env.positiveInt(120),
};
export type NotificationsConfig = ReturnType<typeof loadNotificationsConfig>;
export const NOTIFICATIONS_CONFIG = Symbol('NOTIFICATIONS_CONFIG');

export function loadNotificationsConfig(source: NodeJS.ProcessEnv = process.env) {
  return loadConfig(notificationsConfigShape, source);
}
