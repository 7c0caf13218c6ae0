// `npm run audit:verify`: walks the audit log in id order, recomputing every event's hash and its
// link to the one before, and names the first event that does not fit. Exit code 0 intact, 1 broken.
import { ChainVerifier } from '../audit/audit-chain';
import { AuditRepository } from '../audit/audit.repository';
import { PrismaService } from '../prisma/prisma.service';

const BATCH = 5_000;

export async function verifyAuditChain(databaseUrl: string): Promise<{ ok: true; checked: number } | { ok: false; checked: number; id: string; reason: string }> {
  // Reads only: it needs the database and none of the service's keys.
  const prisma = new PrismaService({ DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: 1, DATABASE_TX_MAX_WAIT_MS: 10_000 });
  const audit = new AuditRepository(prisma);
  const verifier = new ChainVerifier();
  try {
    let after = -1n;
    for (;;) {
      const rows = await audit.walk(after, BATCH);
      for (const r of rows) {
        const broken = verifier.next({ ...r, id: r.id.toString() });
        if (broken) return { ok: false, checked: verifier.checked, ...broken };
      }
      if (rows.length < BATCH) return { ok: true, checked: verifier.checked };
      after = rows[rows.length - 1].id;
    }
  } finally {
    await prisma.$disconnect();
  }
}

if (require.main === module) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is required');
    process.exit(2);
  }
  verifyAuditChain(url)
    .then((r) => {
      if (r.ok) {
        console.log(`Audit chain intact: ${r.checked} event(s) verified.`);
      } else {
        console.log(`Audit chain BROKEN at event ${r.id}: ${r.reason}. (${r.checked - 1} event(s) before it verified.)`);
        process.exitCode = 1;
      }
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 2;
    });
}
