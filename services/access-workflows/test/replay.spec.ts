// Replays histories recorded from real runs (test/histories, written by the end-to-end test with
// RECORD_HISTORIES=1) against today's workflow code: a change that would break running requests
// fails here, before it reaches a worker. See docs/WORKFLOW-VERSIONING.md.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';

const dir = join(__dirname, 'histories');
const histories = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('workflow replay', () => {
  let workflowBundle: WorkflowBundle;

  // Bundle once (webpack takes seconds); every history replays against the same code.
  beforeAll(async () => {
    workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../src/workflows'), logger: quietLogger() });
  }, 120_000);

  it('has recorded histories to replay', () => {
    // Requests opened the old way (legacy workflow) and, since issue 16, submitted through their workflow.
    expect(histories).toEqual(expect.arrayContaining(['approve.json', 'deny.json', 'withdraw.json', 'expiry.json', 'account-email.json']));
    expect(histories).toEqual(expect.arrayContaining(['submitted-approve.json', 'submitted-deny.json', 'submitted-withdraw.json', 'submitted-expiry.json', 'submitted-refused.json']));
    // Issue 17: a denial undone, final after its window, superseded by a withdrawal, an undo racing an approval.
    expect(histories).toEqual(expect.arrayContaining(['submitted-deny-undone.json', 'submitted-deny-final.json', 'submitted-deny-withdrawn.json', 'submitted-undo-race.json']));
    // Issue 18: a nomination accepted, declined (with an acceptance racing it), expired, refused.
    expect(histories).toEqual(expect.arrayContaining(['nomination-accept.json', 'nomination-decline.json', 'nomination-expiry.json', 'nomination-refused.json']));
    // Issue 18: access reviews: the help desk's campaign, a review decided (a REMOVE, a race, the policy keeping the rest) and its
    // removal; the yearly schedule's run, its campaign, a review whose policy removes, and that removal.
    expect(histories).toEqual(
      expect.arrayContaining([
        'access-review-campaign.json',
        'access-review-decided.json',
        'access-removal-by-review.json',
        'access-review-scheduled-run.json',
        'access-review-scheduled-campaign.json',
        'access-review-policy-remove.json',
        'access-removal-by-review-policy.json',
      ]),
    );
    // Issue 19: a request paced by the program calendar, reminded at a high-volume period's boundary and pace, then withdrawn.
    expect(histories).toEqual(expect.arrayContaining(['calendar-paced-withdrawn.json']));
    // Issue 19: a run of the daily digest schedule that sent one digest.
    expect(histories).toEqual(expect.arrayContaining(['email-digest-run.json']));
    // Issue 20: a webhook delivery retried to success, and one whose endpoint answered 410.
    expect(histories).toEqual(expect.arrayContaining(['webhook-delivered-after-retries.json', 'webhook-gone-disabled.json']));
  });

  it.each(histories)(
    'replays %s without non-determinism',
    async (file) => {
      const history = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      await expect(Worker.runReplayHistory({ workflowBundle, replayName: file }, history)).resolves.toBeUndefined();
    },
    60_000,
  );
});

function quietLogger() {
  const noop = () => undefined;
  return { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };
}
