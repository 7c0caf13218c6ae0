import { hash } from '@node-rs/argon2';
import { Client } from 'pg';
import { sealTotpSecret } from '@am/service-kit';
import { BENCH_SECRETS } from './stack';

export const BENCH_PASSWORD = 'Bench#2026!correct-horse-battery';
export const BENCH_TOTP_SECRET = 'KRSXG5CTMVRXEZLUKN2XAZLSNF2GK4TF';

/**
 * An RFC 4122 version-4-shaped UUID from the md5 of a text, so bulk SQL can compute any row's id
 * without a join, and the API (which accepts only RFC UUIDs) takes them.
 */
export const BENCH_UUID_SQL = `CREATE OR REPLACE FUNCTION bench_uuid(t text) RETURNS uuid LANGUAGE sql IMMUTABLE
  AS $$ SELECT overlay(overlay(md5(t) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid $$`;

export interface Seeded {
  /** organizations[k] has officials[k] as its one Security Official. */
  organizations: string[];
  officials: { id: string; loginId: string }[];
  /** People who will ask for a role, one request each. */
  requesters: { id: string; loginId: string }[];
}

/** Stores the bench users' TOTP secret encrypted, each bound to its user, as the directory keeps them (issue 14). */
export async function sealTotpSecrets(db: Client, userIds: string[]): Promise<void> {
  const keys = BENCH_SECRETS.SECRETS_ENCRYPTION_KEYS.split(',');
  await db.query(`UPDATE users SET totp_secret = s.sealed FROM unnest($1::uuid[], $2::text[]) AS s(id, sealed) WHERE users.id = s.id`, [
    userIds,
    userIds.map((id) => sealTotpSecret(keys, id, BENCH_TOTP_SECRET)),
  ]);
}

/**
 * Bulk SQL: `orgs` practices with one Security Official each and `requesters` people without a
 * role. Ids come from bench_uuid of a tag, so nothing needs a join; organization identifiers are
 * `firstIdentifier + 1` and up (nine digits).
 */
export async function seedPeople(databaseUrl: string, tag: string, o: { orgs: number; requesters: number; firstIdentifier: number }): Promise<Seeded> {
  const { orgs, requesters } = o;
  const passwordHash = await hash(BENCH_PASSWORD, { algorithm: 2 });
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(BENCH_UUID_SQL);
    const ids0 = async (kind: string, n: number) =>
      (await db.query<{ id: string }>(`SELECT bench_uuid($1 || $2 || i)::text AS id FROM generate_series(1, $3::int) i`, [tag, kind, n])).rows.map((r) => r.id);
    await db.query(
      `INSERT INTO organizations (id, kind, identifier, name, address)
       SELECT bench_uuid($1 || 'org' || i), 'PRACTICE', ($3::int + i)::text, 'Bench Practice ' || $1 || ' ' || i, i || ' Main St., Springfield, IL 62701'
       FROM generate_series(1, $2::int) i`,
      [tag, orgs, o.firstIdentifier],
    );
    await db.query(
      `INSERT INTO users (id, login_id, display_name, email, password_hash, totp_secret)
       SELECT bench_uuid($1 || 'so' || i), 'bench.' || $1 || '.so.' || i, 'Bench Official ' || i, 'bench.' || $1 || '.so.' || i || '@example.com', $3, $4
       FROM generate_series(1, $2::int) i`,
      [tag, orgs, passwordHash, BENCH_TOTP_SECRET],
    );
    await db.query(
      `INSERT INTO role_assignments (id, user_id, organization_id, role)
       SELECT gen_random_uuid(), bench_uuid($1 || 'so' || i), bench_uuid($1 || 'org' || i), 'SECURITY_OFFICIAL'
       FROM generate_series(1, $2::int) i`,
      [tag, orgs],
    );
    await db.query(
      `INSERT INTO users (id, login_id, display_name, email, password_hash, totp_secret)
       SELECT bench_uuid($1 || 'rq' || i), 'bench.' || $1 || '.rq.' || i, 'Bench Requester ' || i, 'bench.' || $1 || '.rq.' || i || '@example.com', $3, $4
       FROM generate_series(1, $2::int) i`,
      [tag, requesters, passwordHash, BENCH_TOTP_SECRET],
    );
    await sealTotpSecrets(db, [...(await ids0('so', orgs)), ...(await ids0('rq', requesters))]);
    const ids = async (kind: string, n: number) =>
      (
        await db.query<{ id: string; loginId: string }>(
          `SELECT bench_uuid($1 || $2 || i)::text AS id, 'bench.' || $1 || '.' || $2 || '.' || i AS "loginId" FROM generate_series(1, $3::int) i ORDER BY i`,
          [tag, kind, n],
        )
      ).rows;
    return {
      organizations: (await ids('org', orgs)).map((o) => o.id),
      officials: await ids('so', orgs),
      requesters: await ids('rq', requesters),
    };
  } finally {
    await db.end();
  }
}
