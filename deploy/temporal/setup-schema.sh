#!/bin/sh
# One-shot: Temporal's persistence and visibility schemas on PostgreSQL, created on the first run
# and brought up to the server's version on every later one (each step is idempotent). docker-compose
# runs it in temporalio/admin-tools before the server starts; `npm run rehearse` runs this same file
# with the temporal-sql-tool it built. The schema files ship with both (SCHEMA_DIR).
set -eu
: "${POSTGRES_SEEDS:?set POSTGRES_SEEDS (the PostgreSQL host)}"
: "${POSTGRES_USER:?set POSTGRES_USER}"
SCHEMA_DIR="${SCHEMA_DIR:-/etc/temporal/schema}"
export SQL_PASSWORD="${POSTGRES_PWD:-}"
sql() {
  temporal-sql-tool --plugin "${DB:-postgres12}" --ep "$POSTGRES_SEEDS" -p "${DB_PORT:-5432}" -u "$POSTGRES_USER" "$@"
}

for pair in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  db="${pair%%:*}"
  kind="${pair#*:}"
  # Creates the database unless it exists. PostgreSQL may still be starting: try for up to a minute
  # rather than fail the stack.
  attempt=0
  until sql --db "$db" create-database >/dev/null 2>&1; do
    attempt=$((attempt + 1))
    if [ "$attempt" -ge 60 ]; then sql --db "$db" create-database; exit 1; fi
    sleep 1
  done
  sql --db "$db" setup-schema -v 0.0
  sql --db "$db" update-schema -d "$SCHEMA_DIR/postgresql/v12/$kind/versioned"
  echo "Temporal $kind schema ready in database $db"
done
