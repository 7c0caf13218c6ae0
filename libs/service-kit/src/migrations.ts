// Applies a service's prisma/migrations/<timestamp>_<name>/migration.sql in order and records each
// in Prisma's own _prisma_migrations table (in the service's schema, when it has its own), under
// Prisma Migrate's advisory lock: what `prisma migrate deploy` does, without Prisma's native
// engine, so `prisma migrate status` stays compatible wherever that engine is available.
// A schema's search_path is set per transaction only (SET LOCAL), so it never outlives the
// migration on a connection that a pooler may hand to another service's queries.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { Umzug, type UmzugStorage } from 'umzug';

const PRISMA_MIGRATE_LOCK = 72707369;

const sqlOf = (dir: string, name: string) => readFileSync(join(dir, name, 'migration.sql'), 'utf8');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const ident = (s: string) => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(s)) throw new Error(`Invalid schema name: ${s}`);
  return `"${s}"`;
};

function createMigrator(db: Client, dir: string, schema: string | undefined, log: (msg: string) => void) {
  const table = schema ? `${ident(schema)}."_prisma_migrations"` : '"_prisma_migrations"';
  const storage: UmzugStorage<Client> = {
    async executed({ context }) {
      if (schema) await context.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
      await context.query(`CREATE TABLE IF NOT EXISTS ${table} (
        "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL,
        "finished_at" TIMESTAMPTZ, "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT,
        "rolled_back_at" TIMESTAMPTZ, "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
      const { rows } = await context.query<{ migration_name: string; checksum: string }>(
        `SELECT migration_name, checksum FROM ${table} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY started_at`,
      );
      for (const r of rows) {
        if (existsSync(join(dir, r.migration_name)) && sha256(sqlOf(dir, r.migration_name)) !== r.checksum) {
          throw new Error(`Migration ${r.migration_name} was modified after it was applied`);
        }
      }
      return rows.map((r) => r.migration_name);
    },
    async logMigration({ name, context }) {
      await context.query(`INSERT INTO ${table} (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ($1, $2, $3, now(), 1)`, [
        randomUUID(),
        sha256(sqlOf(dir, name)),
        name,
      ]);
    },
    async unlogMigration({ name, context }) {
      await context.query(`DELETE FROM ${table} WHERE migration_name = $1`, [name]);
    },
  };
  return new Umzug<Client>({
    context: db,
    storage,
    logger: { info: (e) => log(JSON.stringify(e)), warn: (e) => log(JSON.stringify(e)), error: (e) => log(JSON.stringify(e)), debug: () => undefined },
    migrations: () =>
      readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
        .map((d) => d.name)
        .sort()
        .map((name) => ({
          name,
          path: join(dir, name, 'migration.sql'),
          // Each migration commits as a whole (a failure leaves nothing half-applied), its
          // unqualified names resolving into the service's schema when it has one.
          up: async ({ context }) => {
            await context.query('BEGIN');
            try {
              if (schema) await context.query(`SET LOCAL search_path TO ${ident(schema)}`);
              await context.query(sqlOf(dir, name));
              await context.query('COMMIT');
            } catch (e) {
              await context.query('ROLLBACK');
              throw e;
            }
          },
        })),
  });
}

/**
 * Applies the pending migrations of `migrationsDir` (to `schema`, when given, else to the
 * connection's default schema); returns the names applied. Safe to run concurrently.
 */
export async function applySqlMigrations(o: { databaseUrl: string; migrationsDir: string; schema?: string; log?: (msg: string) => void }): Promise<string[]> {
  const { databaseUrl, migrationsDir, schema, log = () => undefined } = o;
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
    try {
      const applied = await createMigrator(db, migrationsDir, schema, log).up();
      return applied.map((m) => m.name);
    } finally {
      await db.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]);
    }
  } finally {
    await db.end();
  }
}
