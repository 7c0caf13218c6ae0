import { performance } from 'node:perf_hooks';
import { hash } from '@node-rs/argon2';
import { Client } from 'pg';
import type { AccessReviewCampaignView, AccessReviewLookupView } from '@am/contracts';
import { ACCESS_REVIEW_WORKFLOW, campaignStatusQuery, type AccessReviewCampaignState } from '@am/workflow-contracts';
import { cpuProfile } from './cpu';
import { signIn, type Caller } from './gateway';
import { BENCH_PASSWORD, BENCH_TOTP_SECRET, BENCH_UUID_SQL, sealTotpSecrets } from './seed';
import type { BenchStack } from './stack';
import { summarize, within, type Summary } from './stats';
import { rssMiB } from './worker-memory';

/**
 * The access review campaign phase (issue 18, part 5): the help desk starts a campaign over every
 * organization with connected users, through the gateway, and the bench times the POST, then the
 * opening of every review workflow (the campaign workflow's `status` Query, and Temporal
 * visibility), then every "access-review-opened" email accepted by the SMTP sink, sampling the
 * access-workflows worker's RSS (and the other processes') throughout.
 */

/** The help desk account the bench signs in (a demo database has `qpp.helpdesk`; the bench's scratch database has this one). */
const HELP_DESK_LOGIN = 'bench.helpdesk';

/** An "opened" email of a review: `access-review-<reviewId>/opened/<userId>` (the workflow id, then the notice's key). */
export const isReviewOpenedEmail = (key: string) => key.startsWith('access-review-') && key.slice(key.indexOf('/') + 1).startsWith('opened');

/** Organizations a campaign over all of them would review now: connected users, not a Shared Savings Program ACO, no review open. */
const ELIGIBLE_SQL = `SELECT count(*)::int AS n FROM organizations o
  WHERE NOT o.shared_savings_aco
    AND EXISTS (SELECT 1 FROM role_assignments r WHERE r.organization_id = o.id)
    AND NOT EXISTS (SELECT 1 FROM access_reviews a WHERE a.organization_id = o.id AND a.status = 'OPEN')`;

async function withDb<T>(databaseUrl: string, fn: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

export async function eligibleOrganizations(databaseUrl: string): Promise<number> {
  return withDb(databaseUrl, async (db) => (await db.query<{ n: number }>(ELIGIBLE_SQL)).rows[0].n);
}

/**
 * Seeds `count` practices in bulk SQL (three multi-row INSERT ... SELECT statements), each with one
 * Security Official and one Staff User (accounts that never sign in), so that a campaign over all
 * organizations reviews them. Identifiers are `firstIdentifier + 1` and up.
 */
export async function seedReviewedOrganizations(databaseUrl: string, tag: string, count: number, firstIdentifier: number): Promise<{ seconds: number }> {
  const t = performance.now();
  if (count > 0) {
    await withDb(databaseUrl, async (db) => {
      await db.query(BENCH_UUID_SQL);
      await db.query('BEGIN');
      await db.query(
        `INSERT INTO organizations (id, kind, identifier, name, address)
         SELECT bench_uuid($1 || 'org' || i), 'PRACTICE', ($3::bigint + i)::text, 'Bench Reviewed Practice ' || $1 || ' ' || i, i || ' Main St., Springfield, IL 62701'
         FROM generate_series(1, $2::int) i`,
        [tag, count, firstIdentifier],
      );
      // k = 0: the Security Official; k = 1: the Staff User.
      await db.query(
        `INSERT INTO users (id, login_id, display_name, email, password_hash)
         SELECT bench_uuid($1 || 'u' || k || '.' || i), 'bench.' || $1 || (CASE k WHEN 0 THEN '.so.' ELSE '.staff.' END) || i,
                (CASE k WHEN 0 THEN 'Bench Official ' ELSE 'Bench Staff ' END) || $1 || ' ' || i,
                'bench.' || $1 || (CASE k WHEN 0 THEN '.so.' ELSE '.staff.' END) || i || '@example.com', 'not-a-hash'
         FROM generate_series(1, $2::int) i, generate_series(0, 1) k`,
        [tag, count],
      );
      await db.query(
        `INSERT INTO role_assignments (id, user_id, organization_id, role)
         SELECT gen_random_uuid(), bench_uuid($1 || 'u' || k || '.' || i), bench_uuid($1 || 'org' || i),
                (CASE k WHEN 0 THEN 'SECURITY_OFFICIAL' ELSE 'STAFF_USER' END)::"OrgRole"
         FROM generate_series(1, $2::int) i, generate_series(0, 1) k`,
        [tag, count],
      );
      await db.query('COMMIT');
      await db.query('ANALYZE organizations, users, role_assignments');
    });
  }
  return { seconds: (performance.now() - t) / 1000 };
}

/** A help desk account of the bench's own (platform role HELP_DESK), signed in once. */
export async function signInHelpDesk(stack: BenchStack): Promise<Caller> {
  const passwordHash = await hash(BENCH_PASSWORD, { algorithm: 2 });
  await withDb(stack.database.url, async (db) => {
    await db.query(BENCH_UUID_SQL);
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO users (id, login_id, display_name, email, password_hash, totp_secret, platform_role)
       VALUES (bench_uuid('helpdesk'), $1, 'Bench Help Desk', $1 || '@example.com', $2, $3, 'HELP_DESK')
       ON CONFLICT (login_id) DO NOTHING RETURNING id::text`,
      [HELP_DESK_LOGIN, passwordHash, BENCH_TOTP_SECRET],
    );
    if (rows.length) await sealTotpSecrets(db, [rows[0].id]);
  });
  return signIn(stack.services.gatewayUrl, HELP_DESK_LOGIN);
}

export interface RssTrace {
  /** access-workflows (the worker host), MiB. */
  beforeMiB: number;
  peakMiB: number;
  /** When the peak was seen, ms after the POST was sent. */
  peakAtMs: number;
  /** After every review opened and emailed, and `settleSeconds` more. */
  afterMiB: number;
  /** Every other process's peak, MiB. */
  othersPeakMiB: Record<string, number>;
  othersBeforeMiB: Record<string, number>;
}

export interface CampaignResult {
  campaignId: string;
  workflowId: string;
  /** From the 201: reviews and users under review. */
  reviews: number;
  items: number;
  /** Organizations the bench expected the campaign to review (its own count, before the POST). */
  eligible: number;
  /** All times from the moment the POST was sent (performance.now()). */
  sentAt: number;
  postMs: number;
  /** Until the campaign workflow's `status` Query said reviewsOpened == reviews. */
  openedByQueryMs: number;
  /** Until visibility counted `reviews` accessReviewWorkflow executions started since the POST. */
  openedByVisibilityMs: number;
  /** The "opened" emails expected (one per Security Official of each reviewed organization; the help desk where none), seen, and when the last was accepted. */
  emailsExpected: number;
  emailsSeen: number;
  emailsMs: number | undefined;
  /** When the campaign's start was done: every review open and every email accepted (or given up on), or when the bench stopped watching. */
  doneAt: number;
  /** Set when the bench stopped watching before every review was open (a paced campaign outlasting the lifecycle run): how many were open then. */
  stopped?: { openedByQuery: number; openedByVisibility: number; atMs: number };
  rss: RssTrace;
  /** CPU seconds by process while the campaign started (when profiled). */
  cpu?: Record<string, number>;
  /** GET /access-reviews/{campaignId} as the help desk, afterwards. */
  view: { kind: string; total: number; completed: number; latency: Summary };
}

const POLL_MS = 1000;

/**
 * One campaign over every organization, started by the help desk through the gateway. Resolves
 * when every review workflow is open and every "opened" email accepted (or, when none of them has
 * arrived `emailGraceSeconds` after the last review opened, without them), `settleSeconds` later.
 */
export async function runCampaign(
  stack: BenchStack,
  helpDesk: Caller,
  o: { timeoutSeconds: number; settleSeconds: number; emailGraceSeconds: number; profile: boolean; viewSamples: number; stopWatching?: () => boolean },
): Promise<CampaignResult> {
  const eligible = await eligibleOrganizations(stack.database.url);
  const aw = stack.services.processes.get('access-workflows')?.child.pid;
  if (!aw) throw new Error('access-workflows is not running');
  const others: Record<string, number> = { 'temporal dev server': stack.temporal.process.child.pid ?? 0 };
  for (const [name, p] of stack.services.processes) if (name !== 'access-workflows') others[name] = p.child.pid ?? 0;
  const safeRss = (pid: number) => {
    try {
      return rssMiB(pid);
    } catch {
      return 0;
    }
  };
  const othersBeforeMiB = Object.fromEntries(Object.entries(others).map(([n, pid]) => [n, safeRss(pid)]));
  const othersPeakMiB = { ...othersBeforeMiB };
  const beforeMiB = rssMiB(aw);
  let peakMiB = beforeMiB;
  let peakAt = performance.now();
  const sampler = setInterval(() => {
    const now = safeRss(aw);
    if (now > peakMiB) [peakMiB, peakAt] = [now, performance.now()];
    for (const [n, pid] of Object.entries(others)) othersPeakMiB[n] = Math.max(othersPeakMiB[n], safeRss(pid));
  }, 500);
  const emailsBeforeCount = stack.sink.acceptedWhere(isReviewOpenedEmail).length;
  const deadline = Date.now() + o.timeoutSeconds * 1000;
  const pids: Record<string, number> = { 'access-workflows': aw, ...others, 'bench (clients, SMTP sink)': process.pid };
  try {
    let result!: Omit<CampaignResult, 'rss' | 'cpu' | 'view'>;
    const work = async () => {
      const startedAtEpoch = Date.now() - 1000; // visibility's StartTime, with a second of slack for clock rounding
      const sentAt = performance.now();
      const dueAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
      const created = await within(o.timeoutSeconds * 1000, 'POST /api/v1/access-reviews', helpDesk.post<AccessReviewCampaignView>('/api/v1/access-reviews', { dueAt }, 201));
      const postMs = performance.now() - sentAt;
      const reviews = created.reviews.total;
      const emailsExpected = await withDb(stack.database.url, async (db) => {
        const { rows } = await db.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM access_review_items i JOIN access_reviews r ON r.id = i.review_id WHERE r.campaign_id = $1 AND i.role = 'SECURITY_OFFICIAL')
                + (SELECT count(*) FROM access_reviews r WHERE r.campaign_id = $1 AND NOT EXISTS (SELECT 1 FROM access_review_items i WHERE i.review_id = r.id AND i.role = 'SECURITY_OFFICIAL'))
                  * (SELECT count(*) FROM users WHERE platform_role = 'HELP_DESK' AND disabled_at IS NULL) AS n`,
          [created.id],
        );
        return Number(rows[0].n);
      });
      const handle = stack.client.workflow.getHandle(created.workflowId);
      let openedByQueryMs: number | undefined;
      let openedByVisibilityMs: number | undefined;
      let lastState: AccessReviewCampaignState | undefined;
      let lastCount = 0;
      const visibilityQuery = `WorkflowType = '${ACCESS_REVIEW_WORKFLOW}' AND StartTime >= '${new Date(startedAtEpoch).toISOString()}'`;
      let stopped: CampaignResult['stopped'];
      while (openedByQueryMs === undefined || openedByVisibilityMs === undefined) {
        if (o.stopWatching?.()) {
          const [state, count] = await Promise.all([handle.query(campaignStatusQuery), stack.client.workflow.count(visibilityQuery).then((c) => c.count)]);
          stopped = { openedByQuery: state.reviewsOpened, openedByVisibility: count, atMs: performance.now() - sentAt };
          break;
        }
        if (Date.now() > deadline) throw new Error(`campaign ${created.id}: after ${o.timeoutSeconds} s, ${lastState?.reviewsOpened ?? '?'} of ${reviews} reviews opened by its status Query, ${lastCount} in visibility`);
        const [state, count] = await Promise.all([
          openedByQueryMs === undefined ? handle.query(campaignStatusQuery) : Promise.resolve(lastState),
          openedByVisibilityMs === undefined ? stack.client.workflow.count(visibilityQuery).then((c) => c.count) : Promise.resolve(lastCount),
        ]);
        const at = performance.now() - sentAt;
        lastState = state;
        lastCount = count;
        if (state?.status === 'REFUSED') throw new Error(`campaign ${created.id} was refused: ${JSON.stringify(state.refusal)}`);
        if (openedByQueryMs === undefined && state && state.reviewsOpened >= reviews) openedByQueryMs = at;
        if (openedByVisibilityMs === undefined && count >= reviews) openedByVisibilityMs = at;
        if (openedByQueryMs === undefined || openedByVisibilityMs === undefined) await new Promise((r) => setTimeout(r, POLL_MS));
      }
      // The emails: until all are accepted, or none has come `emailGraceSeconds` after the last review opened.
      const openedAt = performance.now();
      let seen = 0;
      for (;;) {
        if (stopped) break;
        const times = stack.sink.acceptedWhere(isReviewOpenedEmail);
        seen = times.length - emailsBeforeCount;
        if (seen >= emailsExpected) break;
        if (Date.now() > deadline) break;
        if (seen === 0 && performance.now() - openedAt > o.emailGraceSeconds * 1000) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const times = stack.sink.acceptedWhere(isReviewOpenedEmail).sort((a, b) => a - b);
      const emailsMs = seen >= emailsExpected && emailsExpected > 0 ? times[times.length - 1] - sentAt : undefined;
      result = {
        campaignId: created.id,
        workflowId: created.workflowId,
        reviews,
        items: created.items.total,
        eligible,
        sentAt,
        postMs,
        openedByQueryMs: openedByQueryMs ?? Number.NaN,
        openedByVisibilityMs: openedByVisibilityMs ?? Number.NaN,
        stopped,
        emailsExpected,
        emailsSeen: seen,
        emailsMs,
        doneAt: performance.now(),
      };
    };
    let cpu: Record<string, number> | undefined;
    if (o.profile) cpu = await cpuProfile(pids, { serverUrl: stack.serverUrl, name: stack.database.name }, work);
    else await work();
    await new Promise((r) => setTimeout(r, o.settleSeconds * 1000));
    const afterMiB = rssMiB(aw);
    clearInterval(sampler);
    const viewTimes: number[] = [];
    let view!: AccessReviewLookupView;
    for (let i = 0; i < Math.max(1, o.viewSamples); i++) {
      const t = performance.now();
      view = await helpDesk.get<AccessReviewLookupView>(`/api/v1/access-reviews/${result.campaignId}`);
      viewTimes.push(performance.now() - t);
    }
    const reviewsView = view.kind === 'campaign' ? view.reviews : { total: Number.NaN, completed: Number.NaN };
    return {
      ...result,
      rss: { beforeMiB, peakMiB, peakAtMs: peakAt - result.sentAt, afterMiB, othersPeakMiB, othersBeforeMiB },
      cpu,
      view: { kind: view.kind, total: reviewsView.total, completed: reviewsView.completed, latency: summarize(viewTimes) },
    };
  } finally {
    clearInterval(sampler);
  }
}
