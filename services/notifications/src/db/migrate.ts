// Applies prisma/migrations/<timestamp>_<name>/migration.sql in order into this service's own
// PostgreSQL schema, recording each in that schema's own _prisma_migrations table under Prisma
// Migrate's advisory lock: what `prisma migrate deploy` does with DATABASE_URL `?schema=<schema>`.
// The search_path is set per transaction only (SET LOCAL): the embedded PGlite serves every
// connection from one session, so a session-wide setting would leak into the directory's queries.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { Umzug, type UmzugStorage } from 'umzug';

const PRISMA_MIGRATE_LOCK = 72707369;
const MIGRATIONS_DIR = resolve(__dirname, '../../prisma/migrations');

const sqlOf = (dir: string, name: string) => readFileSync(join(dir, name, 'migration.sql'), 'utf8');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const ident = (s: string) => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(s)) throw new Error(`Invalid schema name: ${s}`);
  return `"${s}"`;
};

function createMigrator(db: Client, dir: string, schema: string, log: (msg: string) => void) {
  const table = `${ident(schema)}."_prisma_migrations"`;
  const storage: UmzugStorage<Client> = {
    async executed({ context }) {
      await context.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
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
          // Each migration commits as a whole, its unqualified names resolving into the service's schema.
          up: async ({ context }) => {
            await context.query('BEGIN');
            try {
              await context.query(`SET LOCAL search_path TO ${ident(schema)}`);
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

/** Applies pending migrations to `schema`; returns the names applied. Safe to run concurrently. */
export async function migrateUp(databaseUrl: string, schema: string, log: (msg: string) => void = () => undefined): Promise<string[]> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
    try {
      const applied = await createMigrator(db, MIGRATIONS_DIR, schema, log).up();
      return applied.map((m) => m.name);
    } finally {
      await db.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]);
    }
  } finally {
    await db.end();
  }
}

if (require.main === module) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is required');
    process.exit(2);
  }
  migrateUp(url, process.env.DATABASE_SCHEMA || 'notifications', console.log)
    .then((names) => console.log(names.length ? `Applied ${names.length} migration(s): ${names.join(', ')}` : 'Notifications schema is up to date.'))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
