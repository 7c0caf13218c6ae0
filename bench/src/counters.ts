// What one iteration costs in work, counted rather than timed, so that a regression in any of them
// shows even on a noisy machine: workflow and activity tasks (from the recorded histories), SQL
// statements (pg_stat_statements on the bench's database server), transactions (pg_stat_database)
// and internal RPCs (the counter in service-kit's call(), read from each service's counters socket).
import { request } from 'node:http';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { mapLimit } from './stats';

// ---- Temporal: tasks per workflow, from the histories ---------------------------------------

export interface HistoryCounts {
  workflows: number;
  events: number;
  workflowTasks: number;
  activityTasks: number;
}

/**
 * Sums, over every workflow execution the visibility `query` finds, its history's
 * WorkflowTaskCompleted events (workflow tasks) and ActivityTaskScheduled events (activity tasks).
 * Waits (up to `settleMs`) until none of them is still running, so each history is whole.
 */
export async function countHistories(client: Client, query: string, o: { settleMs?: number; expectAtLeast?: number } = {}): Promise<HistoryCounts> {
  const deadline = Date.now() + (o.settleMs ?? 60_000);
  // Visibility is eventually consistent: wait for the expected executions to be listed and closed.
  for (;;) {
    const [{ count: all }, { count: running }] = await Promise.all([
      client.workflow.count(query),
      client.workflow.count(`(${query}) AND ExecutionStatus = 'Running'`),
    ]);
    if ((running === 0 && all >= (o.expectAtLeast ?? 0)) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const executions: { workflowId: string; runId: string }[] = [];
  for await (const wf of client.workflow.list({ query })) executions.push({ workflowId: wf.workflowId, runId: wf.runId });
  const totals: HistoryCounts = { workflows: executions.length, events: 0, workflowTasks: 0, activityTasks: 0 };
  await mapLimit(executions.length, 8, async (i) => {
    const history = await client.workflow.getHandle(executions[i].workflowId, executions[i].runId).fetchHistory();
    for (const e of history.events ?? []) {
      totals.events++;
      if (e.workflowTaskCompletedEventAttributes) totals.workflowTasks++;
      if (e.activityTaskScheduledEventAttributes) totals.activityTasks++;
    }
  });
  return totals;
}

/** A visibility query for the executions started between `from` and `to` (epoch ms). */
export function startedBetween(from: number, to: number): string {
  return `StartTime >= '${new Date(from).toISOString()}' AND StartTime <= '${new Date(to).toISOString()}'`;
}

// ---- Internal RPCs: service-kit's call() counter, per service --------------------------------

/** Each service's RPCs sent so far, by pattern (OPERATOR_COUNTERS_DIR/<pid>.sock); a service that serves none counts as {}. */
export async function readRpcCounts(dir: string, pids: Map<string, number>): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  await Promise.all(
    [...pids].map(async ([service, pid]) => {
      out.set(service, await getCounters(join(dir, `${pid}.sock`)).catch(() => ({})));
    }),
  );
  return out;
}

function getCounters(socketPath: string): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/', method: 'GET', timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        try {
          resolve((JSON.parse(body) as { rpcSent: Record<string, number> }).rpcSent ?? {});
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${socketPath}`)));
    req.on('error', reject);
    req.end();
  });
}

export interface RpcDelta {
  total: number;
  /** Sent by each service. */
  byService: Record<string, number>;
  /** By pattern, whoever sent it. */
  byPattern: Record<string, number>;
}

export function rpcDelta(before: Map<string, Record<string, number>>, after: Map<string, Record<string, number>>): RpcDelta {
  const d: RpcDelta = { total: 0, byService: {}, byPattern: {} };
  for (const [service, counts] of after) {
    const was = before.get(service) ?? {};
    for (const [pattern, n] of Object.entries(counts)) {
      const k = n - (was[pattern] ?? 0);
      if (k <= 0) continue;
      d.total += k;
      d.byService[service] = (d.byService[service] ?? 0) + k;
      d.byPattern[pattern] = (d.byPattern[pattern] ?? 0) + k;
    }
  }
  return d;
}

// ---- SQL: pg_stat_statements and pg_stat_database on the bench's database -------------------

interface StatementRow {
  key: string;
  query: string;
  calls: number;
}

export interface SqlSnapshot {
  statements?: Map<string, StatementRow>;
  transactions: number;
  /** The transactions this snapshot itself ran (reported after it read the counter, so the next snapshot sees them). */
  own: number;
}

export interface SqlDelta {
  /** Undefined when the server does not have pg_stat_statements loaded. */
  statements?: number;
  /** Of the statements, BEGIN / COMMIT / ROLLBACK / SAVEPOINT / RELEASE. */
  transactionControl?: number;
  /** The statements called most, with their calls. */
  top?: { query: string; calls: number }[];
  /** Committed + rolled-back transactions (pg_stat_database). */
  transactions: number;
}

const TX_CONTROL = /^\s*(begin|start transaction|commit|end|rollback|savepoint|release)\b/i;
// The bench's own statements (these snapshots, the CPU sampler) are not the product's.
const OWN = /pg_stat_statements|pg_stat_activity|pg_stat_database|pg_backend_pid/i;

/**
 * Counts the SQL the services run against the bench's database. Statements come from
 * pg_stat_statements (every top-level statement the server executed for this database, BEGIN and
 * COMMIT included, whichever client sent it: Prisma, pg, a raw query), which needs the server to
 * preload it; transactions come from pg_stat_database, which every server has (its counters reach
 * the view when a backend reports them: up to 10 s after the work on an idle connection, so
 * `snapshot` after work waits for that).
 */
export class SqlCounter {
  private constructor(
    private readonly url: string,
    private readonly database: string,
    /** Why statements are not counted, when they are not. */
    readonly unavailable?: string,
  ) {}

  static async open(url: string, database: string): Promise<SqlCounter> {
    const db = new PgClient({ connectionString: url });
    await db.connect();
    try {
      const { rows } = await db.query<{ loaded: boolean }>(`SELECT current_setting('shared_preload_libraries') ~ 'pg_stat_statements' AS loaded`);
      if (!rows[0]?.loaded) return new SqlCounter(url, database, 'the database server does not preload pg_stat_statements');
      await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      return new SqlCounter(url, database);
    } catch (err) {
      return new SqlCounter(url, database, `pg_stat_statements: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      await db.end();
    }
  }

  async snapshot(afterWork = false): Promise<SqlSnapshot> {
    // Let every backend report its transaction counters (PostgreSQL reports an idle backend's within 10 s).
    if (afterWork) await new Promise((resolve) => setTimeout(resolve, 11_000));
    const db = new PgClient({ connectionString: this.url });
    await db.connect();
    try {
      const tx = await db.query<{ n: string }>('SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = $1', [this.database]);
      const snap: SqlSnapshot = { transactions: Number(tx.rows[0]?.n ?? 0), own: 2 }; // its connection's start-up transaction and this query
      if (!this.unavailable) {
        const { rows } = await db.query<{ key: string; query: string; calls: string }>(
          `SELECT s.userid || '/' || s.queryid || '/' || s.toplevel AS key, s.query, s.calls::text AS calls
           FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1`,
          [this.database],
        );
        snap.own++;
        snap.statements = new Map(rows.map((r) => [r.key, { key: r.key, query: r.query, calls: Number(r.calls) }]));
      }
      return snap;
    } finally {
      await db.end();
    }
  }

  static delta(before: SqlSnapshot, after: SqlSnapshot): SqlDelta {
    const d: SqlDelta = { transactions: after.transactions - before.transactions - before.own };
    if (before.statements && after.statements) {
      const rows: { query: string; calls: number }[] = [];
      for (const [key, row] of after.statements) {
        if (OWN.test(row.query)) continue;
        const calls = row.calls - (before.statements.get(key)?.calls ?? 0);
        if (calls > 0) rows.push({ query: row.query, calls });
      }
      d.statements = rows.reduce((s, r) => s + r.calls, 0);
      d.transactionControl = rows.filter((r) => TX_CONTROL.test(r.query)).reduce((s, r) => s + r.calls, 0);
      d.top = rows.sort((a, b) => b.calls - a.calls).slice(0, 12);
    }
    return d;
  }
}
