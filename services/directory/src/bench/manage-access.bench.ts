// `npm run bench`: seeds 10,000 organizations, 200,000 users and 100,000 pending requests into a
// fresh PostgreSQL database (bulk SQL), then times GET manage-access's directory code path
// (ManageAccessService over Prisma) for a Security Official of 50 organizations. Not a test: it
// reports p50/p99 and whether p99 meets the 50 ms target. The database is dropped afterwards.
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { systemClock } from '../clock/clock';
import { loadDirectoryConfig } from '../config/directory.config';
import { migrateUp } from '../db/migrate';
import { ManageAccessRepository } from '../manage-access/manage-access.repository';
import { ManageAccessService } from '../manage-access/manage-access.service';
import { RegistrationPolicy } from '../organizations/registration.policy';
import { PrismaService } from '../prisma/prisma.service';

const ORGS = 10_000;
const USERS = 200_000;
const PENDING = 100_000;
const OFFICIAL_ORGS = 50;
const WARMUP = 50;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 1000);
const TARGET_P99_MS = 50;

// Deterministic ids from numbers, so the bulk inserts need no joins.
const SEED_SQL = `
INSERT INTO organizations (id, kind, identifier, name, address, cms_web_interface)
SELECT md5('org' || i)::uuid,
       (ARRAY['PRACTICE','VIRTUAL_GROUP','APM_ENTITY','REGISTRY'])[1 + i % 4]::"OrganizationKind",
       lpad(i::text, 9, '0'), 'Bench Organization ' || i, i || ' Main St., Springfield, IL 62701', i % 3 = 0
FROM generate_series(1, ${ORGS}) i;

INSERT INTO users (id, login_id, display_name, email, password_hash, totp_secret)
SELECT md5('user' || n)::uuid, 'bench.user.' || n, 'Bench User ' || n, 'bench.user.' || n || '@example.com', 'not-a-hash', 'JBSWY3DPEHPK3PXP'
FROM generate_series(0, ${USERS - 1}) n;

-- Two Security Officials per organization (users 1..20000), ten Staff Users each (users 20001..120000).
INSERT INTO role_assignments (id, user_id, organization_id, role)
SELECT gen_random_uuid(), md5('user' || (i + k * ${ORGS}))::uuid, md5('org' || i)::uuid, 'SECURITY_OFFICIAL'
FROM generate_series(1, ${ORGS}) i, generate_series(0, 1) k;
INSERT INTO role_assignments (id, user_id, organization_id, role)
SELECT gen_random_uuid(), md5('user' || (20000 + (i - 1) * 10 + k))::uuid, md5('org' || i)::uuid, 'STAFF_USER'
FROM generate_series(1, ${ORGS}) i, generate_series(1, 10) k;

-- Pending requests from users 120000..199999 (some with two, at different organizations).
INSERT INTO role_requests (id, requester_id, organization_id, role, status, created_at, updated_at)
SELECT gen_random_uuid(), md5('user' || (120000 + (r - 1) % 80000))::uuid,
       md5('org' || (((r - 1) + (r - 1) / 80000) % ${ORGS} + 1))::uuid,
       (CASE WHEN r % 5 = 0 THEN 'SECURITY_OFFICIAL' ELSE 'STAFF_USER' END)::"OrgRole", 'PENDING',
       now() - (r || ' seconds')::interval, now()
FROM generate_series(1, ${PENDING}) r;

-- The measured user (user 0): Security Official of the first ${OFFICIAL_ORGS} organizations, with three pending requests of their own.
INSERT INTO role_assignments (id, user_id, organization_id, role)
SELECT gen_random_uuid(), md5('user0')::uuid, md5('org' || i)::uuid, 'SECURITY_OFFICIAL' FROM generate_series(1, ${OFFICIAL_ORGS}) i;
INSERT INTO role_requests (id, requester_id, organization_id, role, status, updated_at)
SELECT gen_random_uuid(), md5('user0')::uuid, md5('org' || (9000 + i))::uuid, 'STAFF_USER', 'PENDING', now() FROM generate_series(1, 3) i;
ANALYZE;
`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const server = process.env.BENCH_DATABASE_SERVER_URL ?? process.env.TEST_DATABASE_SERVER_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const dbName = `am_bench_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(server);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  let prisma: PrismaService | undefined;
  try {
    await migrateUp(databaseUrl);
    const seeding = performance.now();
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const userId = await db
      .query(SEED_SQL)
      .then(() => db.query(`SELECT md5('user0')::uuid::text AS "userId"`))
      .then((r) => (r.rows[0] as { userId: string }).userId)
      .finally(() => db.end());
    console.log(`Seeded ${ORGS} organizations, ${USERS} users, ${PENDING} pending requests in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

    const config = loadDirectoryConfig({ DATABASE_URL: databaseUrl });
    prisma = new PrismaService(config);
    const service = new ManageAccessService(new ManageAccessRepository(prisma), new RegistrationPolicy(config, systemClock));
    const once = () => service.view({ userId, page: 1, pageSize: 50 });
    const first = await once();
    const orgCount = Object.values(first.connectedOrganizations).reduce((n, list) => n + list.length, 0);
    console.log(`The measured Security Official: ${orgCount} organizations, ${first.pendingRequests.total} requests awaiting their decision, ${first.myRequests.length} of their own`);
    for (let i = 0; i < WARMUP; i++) await once();
    const times: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const t = performance.now();
      await once();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const [p50, p99] = [percentile(times, 50), percentile(times, 99)];
    console.log(`manage-access (directory code path, ${SAMPLES} sequential calls): p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${times[times.length - 1].toFixed(2)} ms`);
    console.log(`Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${new Date().toISOString()}`);
    console.log(p99 < TARGET_P99_MS ? `PASS: p99 < ${TARGET_P99_MS} ms` : `MISS: p99 >= ${TARGET_P99_MS} ms`);
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  } finally {
    await prisma?.$disconnect();
    if (process.env.BENCH_KEEP_DB) console.log(`Kept the database (BENCH_KEEP_DB): ${databaseUrl}`);
    else await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
