// Seeds the demo (PRODUCT.md section 6). Idempotent: a second run changes nothing, and it never
// runs in production mode. Pending requests are only written here; access-workflows starts a
// workflow for every pending request that has none when it boots.
import { randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import { sealTotpSecret } from '@am/service-kit';
import { DEMO_ORGANIZATIONS, DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USERS, demoEmail } from './demo-data';

/** `encryptionKeys`: SECRETS_ENCRYPTION_KEYS, which the demo's TOTP secret is stored under (issue 14). */
export async function seedDemo(databaseUrl: string, encryptionKeys: string[]): Promise<{ organizations: number; users: number; pendingCreated: number }> {
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
    let pendingCreated = 0;
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
      for (const p of u.pending ?? []) {
        const organizationId = orgIds.get(p.org)!;
        // Seeded once: a request the demo user later decided is not re-created on the next start.
        const any = await prisma.roleRequest.findFirst({ where: { requesterId: user.id, organizationId } });
        if (any) continue;
        await prisma.roleRequest.create({
          data: { requesterId: user.id, organizationId, role: p.role, justification: p.justification },
        });
        pendingCreated++;
      }
    }
    return { organizations: DEMO_ORGANIZATIONS.length, users: DEMO_USERS.length, pendingCreated };
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
    .then((r) => console.log(`Demo data ready: ${r.organizations} organizations, ${r.users} users, ${r.pendingCreated} new pending request(s).`))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
