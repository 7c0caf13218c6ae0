// Seeds the demo (PRODUCT.md section 6). Idempotent: a second run changes nothing, and it never
// runs in production mode. The demo's pending requests are not written here: every request is
// recorded by its own workflow, so `npm start` submits them through the API once the services run
// (seed-requests.ts).
import { randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import { sealTotpSecret } from '@am/service-kit';
import { DEMO_ORGANIZATIONS, DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USERS, demoEmail } from './demo-data';

/** `encryptionKeys`: SECRETS_ENCRYPTION_KEYS, which the demo's TOTP secret is stored under (issue 14). */
export async function seedDemo(databaseUrl: string, encryptionKeys: string[]): Promise<{ organizations: number; users: number }> {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
  try {
    const orgIds = new Map<string, string>();
    for (const o of DEMO_ORGANIZATIONS) {
      const { key, ...data } = o;
      const org = await prisma.organization.upsert({
        where: { kind_identifier: { kind: o.kind, identifier: o.identifier } },
        create: data,
        update: {},
      });
      orgIds.set(key, org.id);
    }
    const passwordHash = await hash(DEMO_PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    for (const u of DEMO_USERS) {
      const id = randomUUID();
      const user = await prisma.user.upsert({
        where: { loginId: u.loginId },
        create: {
          id,
          loginId: u.loginId,
          displayName: u.displayName,
          email: demoEmail(u.loginId),
          passwordHash,
          totpSecret: sealTotpSecret(encryptionKeys, id, DEMO_TOTP_SECRET),
          platformRole: u.platformRole ?? null,
        },
        update: {},
      });
      for (const h of u.holds ?? []) {
        const organizationId = orgIds.get(h.org)!;
        await prisma.roleAssignment.upsert({
          where: { userId_organizationId: { userId: user.id, organizationId } },
          create: { userId: user.id, organizationId, role: h.role },
          update: {},
        });
      }
    }
    return { organizations: DEMO_ORGANIZATIONS.length, users: DEMO_USERS.length };
  } finally {
    await prisma.$disconnect();
  }
}

if (require.main === module) {
  const url = process.env.DATABASE_URL;
  const keys = (process.env.SECRETS_ENCRYPTION_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  if (process.env.NODE_ENV === 'production') {
    console.error('Refusing to seed demo data in production mode (NODE_ENV=production).');
    process.exit(2);
  }
  if (!url) {
    console.error('DATABASE_URL is required');
    process.exit(2);
  }
  if (!keys.length) {
    console.error('SECRETS_ENCRYPTION_KEYS is required: the demo users’ TOTP secret is stored encrypted');
    process.exit(2);
  }
  seedDemo(url, keys)
    .then((r) => console.log(`Demo data ready: ${r.organizations} organizations, ${r.users} users.`))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
