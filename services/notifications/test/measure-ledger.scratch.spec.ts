// Scratch (not committed): counts the SQL statements the ledger costs per notice, against the local PostgreSQL.
import { join } from 'node:path';
import { Client } from 'pg';
import { createScratchDatabase, freePort, LOCAL_POSTGRES_URL, startMailCatcher, type MailCatcher, type ScratchDatabase } from '@am/devstack';
import type { NotificationInput } from '@am/workflow-contracts';
import { loadNotificationsConfig } from '../src/config/notifications.config';
import { migrateUp } from '../src/db/migrate';
import { Mailer } from '../src/email/mailer';
import { EmailLedgerRepository } from '../src/ledger/email-ledger.repository';
import { NotificationDeliveryService } from '../src/ledger/notification-delivery.service';
import { PrismaService } from '../src/prisma/prisma.service';
import { NotificationActivitiesProvider } from '../src/temporal/notification.activities';

const seen: string[] = [];
let counting = false;
const orig = Client.prototype.query;
(Client.prototype as any).query = function (this: Client, ...args: any[]) {
  if (counting) seen.push(typeof args[0] === 'string' ? args[0] : args[0]?.text);
  return (orig as any).apply(this, args);
};

jest.setTimeout(60_000);
let db: ScratchDatabase; let mail: MailCatcher; let prisma: PrismaService; let service: NotificationDeliveryService; let acts: NotificationActivitiesProvider;
beforeAll(async () => {
  db = await createScratchDatabase(LOCAL_POSTGRES_URL, 'am_measure');
  await migrateUp(db.url, 'notifications');
  const admin = new Client({ connectionString: LOCAL_POSTGRES_URL }); await admin.connect();
  await admin.query(`ALTER DATABASE "${db.name}" SET log_statement = 'all'`); await admin.end();
  console.log('DBNAME ' + db.name);
  mail = await startMailCatcher({ smtpPort: await freePort(), webPort: await freePort(), logFile: join('/tmp', 'measure-maildev.log') });
  const config = loadNotificationsConfig({ DATABASE_URL: db.url, SMTP_URL: mail.smtpUrl } as any);
  prisma = new PrismaService(config);
  service = new NotificationDeliveryService(config, new (EmailLedgerRepository as any)(prisma, config), new Mailer(config));
  acts = new NotificationActivitiesProvider(service);
  await prisma.$queryRaw`SELECT 1`;
});
afterAll(async () => { await prisma.$disconnect(); await mail.stop(); await db.drop(); });

let n = 0; let total = 0;
afterAll(() => console.log('TOTAL ' + total));
const input = (userId?: string): NotificationInput => ({
  idempotencyKey: `measure/${++n}`,
  to: { email: 't@example.com', displayName: 'T', ...(userId ? { userId } : {}) },
  template: 'request-decided',
  data: { requestId: 'r1', decision: 'DENIED', role: 'STAFF_USER', organizationName: 'Acme', deciderName: 'E B', reason: 'no' },
} as NotificationInput);

async function measure(label: string, fn: () => Promise<unknown>) {
  seen.length = 0; counting = true; total -= 0;
  try { await fn(); } finally { counting = false; }
  total += seen.length;
  console.log(`${label}: ${seen.length} statements\n  ${seen.map((s) => s.replace(/\s+/g, ' ').slice(0, 160)).join('\n  ')}`);
}

it('counts', async () => {
  const u = '6f1c1f9e-8d35-4a57-9a58-0f4f2f0c1a11';
  const one = input(u);
  await measure('sendNotification, first delivery (with in-app notice)', () => acts.activities().sendNotification(one));
  await measure('sendNotification, retry of a sent notice', () => acts.activities().sendNotification(one));
  await measure('sendNotification, no in-app notice', () => acts.activities().sendNotification(input()));
  const batch = [input(u), input(u)];
  await measure('sendNotifications, batch of 2', () => acts.activities().sendNotifications(batch));
  await measure('sendNotifications, retry of the sent batch of 2', () => acts.activities().sendNotifications(batch));
  await measure('sendNotifications, batch of 4', () => acts.activities().sendNotifications([input(u), input(u), input(u), input(u)]));
  const reset = { idempotencyKey: `password-reset/${++n}`, to: { email: 'j@example.com', displayName: 'J' }, template: 'password-reset', data: { loginId: 'j', token: 'x'.repeat(43), expiresAt: '2026-11-23T14:30:00.000Z' } } as any;
  await measure('account email: record', () => service.record(reset));
  await measure('account email: sendRecorded', () => service.sendRecorded(reset.idempotencyKey));
  await measure('account email: sendRecorded retry', () => service.sendRecorded(reset.idempotencyKey));
});
