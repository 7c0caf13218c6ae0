import { z } from 'zod';
import { commonShape, env, loadConfig } from '@am/service-kit';

export const notificationsConfigShape = {
  ...commonShape,
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z.string().min(3).default('Access Manager <no-reply@access-manager.example>'),
  /** Where links in emails point: the web UI served by the gateway. */
  PUBLIC_BASE_URL: z.string().url().default('http://127.0.0.1:3000'),
  SUPPORT_PHONE: env.string('1-866-288-8292 (TTY: 1-877-715-6222)'),
  SUPPORT_EMAIL: env.string('QPP@cms.hhs.gov'),
  SUPPORT_HOURS: env.string('Monday – Friday, 8am – 8pm EST'),
};
export type NotificationsConfig = ReturnType<typeof loadNotificationsConfig>;
export const NOTIFICATIONS_CONFIG = Symbol('NOTIFICATIONS_CONFIG');

export function loadNotificationsConfig(source: NodeJS.ProcessEnv = process.env) {
  return loadConfig(notificationsConfigShape, source);
}
