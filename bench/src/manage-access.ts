import { performance } from 'node:perf_hooks';
import { hash } from '@node-rs/argon2';
import { Client } from 'pg';
import { signIn } from './gateway';
import { BENCH_PASSWORD, BENCH_UUID_SQL, sealTotpSecrets } from './seed';
import { summarize, type Summary } from './stats';

export const SCALE = { organizations: 10_000, users: 200_000, pending: 100_000, officialOrganizations: 50 } as const;

// Deterministic ids from numbers (bench_uuid, see seed.ts), so the bulk inserts need no joins. Organization identifiers are
// 1..10,000 (the lifecycle's own organizations use 800,000,000 and up).
const SEED_SQL = `
INSERT INTO organizations (id, kind, identifier, name, address, cms_web_interface)
SELECT bench_uuid('org' || i),
       (ARRAY['PRACTICE','VIRTUAL_GROUP','APM_ENTITY','REGISTRY'])[1 + i % 4]::"OrganizationKind",
       lpad(i::text, 9, '0'), 'Bench Organization ' || i, i || ' Main St., Springfield, IL 62701', i % 3 = 0
FROM generate_series(1, ${SCALE.organizations}) i;

INSERT INTO users (id, login_id, display_name, email, password_hash, totp_secret)
SELECT bench_uuid('user' || n), 'bench.user.' || n, 'Bench User ' || n, 'bench.user.' || n || '@example.com', 'not-a-hash', NULL
FROM generate_series(0, ${SCALE.users - 1}) n;

-- Two Security Officials per organization (users 1..20000), ten Staff Users each (users 20001..120000).
INSERT INTO role_assignments (id, user_id, organization_id, role)
SELECT gen_random_uuid(), bench_uuid('user' || (i + k * ${SCALE.organizations})), bench_uuid('org' || i), 'SECURITY_OFFICIAL'
FROM generate_series(1, ${SCALE.organizations}) i, generate_series(0, 1) k;
INSERT INTO role_assignments (id, user_id, organization_id, role)
SELECT gen_random_uuid(), bench_uuid('user' || (20000 + (i - 1) * 10 + k)), bench_uuid('org' || i), 'STAFF_USER'
FROM generate_series(1, ${SCALE.organizations}) i, generate_series(1, 10) k;

-- Pending requests from users 120000..199999 (some with two, at different organizations).
INSERT INTO role_requests (id, requester_id, organization_id, role, status, created_at, updated_at)
SELECT gen_random_uuid(), bench_uuid('user' || (120000 + (r - 1) % 80000)),
       bench_uuid('org' || (((r - 1) + (r - 1) / 80000) % ${SCALE.organizations} + 1)),
       (CASE WHEN r % 5 = 0 THEN 'SECURITY_OFFICIAL' ELSE 'STAFF_USER' END)::"OrgRole", 'PENDING',
       now() - (r || ' seconds')::interval, now()
FROM generate_series(1, ${SCALE.pending}) r;

-- The measured user (user 0): Security Official of the first ${SCALE.officialOrganizations} organizations, with three pending requests of their own.
INSERT INTO role_assignments (id, user_id, organization_id, role)
SELECT gen_random_uuid(), bench_uuid('user0'), bench_uuid('org' || i), 'SECURITY_OFFICIAL' FROM generate_series(1, ${SCALE.officialOrganizations}) i;
INSERT INTO role_requests (id, requester_id, organization_id, role, status, updated_at)
SELECT gen_random_uuid(), bench_uuid('user0'), bench_uuid('org' || (9000 + i)), 'STAFF_USER', 'PENDING', now() FROM generate_series(1, 3) i;
ANALYZE;
`;

export interface ScaleRequest {
  id: string;
  organizationId: string;
  requesterId: string;
  role: string;
}

export interface ScaleData {
  seedSeconds: number;
  /** The measured Security Official's organizations. */
  officialOrganizationIds: string[];
  /** Every pending request of the data set (not the official's own three). */
  pending: ScaleRequest[];
}

/** 10,000 organizations, 200,000 users and 100,000 pending requests, in bulk SQL; user 0 decides for 50 organizations. */
export async function seedScale(databaseUrl: string): Promise<ScaleData> {
  const t = performance.now();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(BENCH_UUID_SQL);
    await db.query(SEED_SQL);
    await db.query(`UPDATE users SET password_hash = $1 WHERE id = bench_uuid('user0')`, [await hash(BENCH_PASSWORD, { algorithm: 2 })]);
    const [user0] = (await db.query<{ id: string }>(`SELECT bench_uuid('user0')::text AS id`)).rows;
    await sealTotpSecrets(db, [user0.id]);
    const seedSeconds = (performance.now() - t) / 1000;
    const orgs = await db.query<{ id: string }>(`SELECT bench_uuid('org' || i)::text AS id FROM generate_series(1, ${SCALE.officialOrganizations}) i`);
    const pending = await db.query<ScaleRequest>(
      `SELECT id::text, organization_id::text AS "organizationId", requester_id::text AS "requesterId", role::text AS role
       FROM role_requests WHERE status = 'PENDING' AND requester_id <> bench_uuid('user0') AND organization_id IN (SELECT bench_uuid('org' || i) FROM generate_series(1, ${SCALE.organizations}) i)`,
    );
    return { seedSeconds, officialOrganizationIds: orgs.rows.map((r) => r.id), pending: pending.rows };
  } finally {
    await db.end();
  }
}

export interface ManageAccessResult {
  awaiting: number;
  organizations: number;
  latency: Summary;
}

/** GET /api/v1/manage-access through the gateway, as the Security Official of 50 organizations: warm-up, then `samples` in sequence. */
export async function measureManageAccess(gatewayUrl: string, samples: number): Promise<ManageAccessResult> {
  const official = await signIn(gatewayUrl, 'bench.user.0');
  const once = () => official.get<{ pendingRequests: { total: number }; connectedOrganizations: Record<string, unknown[]> }>('/api/v1/manage-access?page=1&pageSize=50');
  const first = await once();
  for (let i = 0; i < 50; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await once();
    times.push(performance.now() - t);
  }
  return {
    awaiting: first.pendingRequests.total,
    organizations: Object.values(first.connectedOrganizations).reduce((n, list) => n + list.length, 0),
    latency: summarize(times),
  };
}
