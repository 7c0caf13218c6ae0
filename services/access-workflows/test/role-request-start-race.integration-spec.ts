// The role-request workflow on the real Temporal dev server, with its directory and notification
// activities replaced by stubs in this process, so that the order of events a busy machine
// produces only sometimes can be forced every time: a decision that arrives while the workflow is
// still reading its parties for the first time (found by `npm run bench`, where it left approved
// requests without their decision emails).
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import type { DecisionRecord, NotificationActivities, NotificationInput, RequestParties, RoleRequestState, RoleRequestWorkflowInput } from '@am/workflow-contracts';
import { decideUpdate, ROLE_REQUEST_WORKFLOW } from '@am/workflow-contracts';

/** The dev server the integration run started (test/setup/global-setup.ts publishes it in AM_TEST_STACK). */
function testStack(): { temporalAddress: string; temporalNamespace: string } {
  const raw = process.env.AM_TEST_STACK;
  if (!raw) throw new Error('The integration stack is not running: run this through jest (npm test)');
  return JSON.parse(raw) as { temporalAddress: string; temporalNamespace: string };
}

const requester = { id: randomUUID(), displayName: 'Rita Requester', email: 'rita@example.com' };
const official = { id: randomUUID(), displayName: 'Oscar Official', email: 'oscar@example.com' };
const organization = { id: randomUUID(), name: 'Start Race Practice' };

describe('a decision that arrives while the workflow starts', () => {
  let connection: NativeConnection;
  let clientConnection: Connection;
  let client: Client;
  let workflowBundle: WorkflowBundle;

  beforeAll(async () => {
    const { temporalAddress } = testStack();
    connection = await NativeConnection.connect({ address: temporalAddress });
    clientConnection = await Connection.connect({ address: temporalAddress });
    client = new Client({ connection: clientConnection, namespace: testStack().temporalNamespace });
    workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../src/workflows'), logger: new DefaultLogger('WARN') });
  }, 120_000);

  afterAll(async () => {
    await clientConnection?.close();
    await connection?.close();
  });

  /**
   * Runs one request workflow whose first getRequestParties answers `statusSeen`, after the
   * decision has been recorded when `decideWhileStarting`; collects every notification sent.
   */
  async function runRequest(o: { decideWhileStarting: boolean; statusSeen: RequestParties['status'] }) {
    const queue = `start-race-${randomUUID()}`;
    const requestId = randomUUID();
    const sent: string[] = [];
    let decisionRecorded!: () => void;
    const recorded = new Promise<void>((resolve) => (decisionRecorded = resolve));
    let partiesAsked!: () => void;
    const asked = new Promise<void>((resolve) => (partiesAsked = resolve));
    let partiesCalls = 0;
    const parties = (status: RequestParties['status']): RequestParties => ({
      requestId,
      status,
      role: 'STAFF_USER',
      justification: null,
      submittedAt: new Date().toISOString(),
      requester,
      organization,
      securityOfficials: [official],
      helpDesk: [],
    });
    const directory = {
      async getRequestParties(): Promise<RequestParties> {
        partiesCalls++;
        if (partiesCalls > 1) return parties(o.statusSeen);
        partiesAsked();
        if (o.decideWhileStarting) await recorded;
        return parties(o.statusSeen);
      },
      async recordDecision(): Promise<DecisionRecord> {
        decisionRecorded();
        return { requestId, status: 'APPROVED', role: 'STAFF_USER', reason: null, decidedAt: new Date().toISOString(), decider: official, requester, organization };
      },
    };
    const record = (input: NotificationInput) => {
      sent.push(input.idempotencyKey.slice(`role-request-${requestId}/`.length));
      return { messageId: `<${sent.length}@test>`, duplicate: false };
    };
    const notifications: Pick<NotificationActivities, 'sendNotification' | 'sendNotifications'> = {
      sendNotification: async (input) => record(input),
      sendNotifications: async (inputs) => inputs.map(record),
    };
    const workers = await Promise.all([
      Worker.create({ connection, namespace: testStack().temporalNamespace, taskQueue: `${queue}-wf`, workflowBundle }),
      Worker.create({ connection, namespace: testStack().temporalNamespace, taskQueue: `${queue}-dir`, activities: directory }),
      Worker.create({ connection, namespace: testStack().temporalNamespace, taskQueue: `${queue}-not`, activities: notifications }),
    ]);
    const input: RoleRequestWorkflowInput = {
      requestId,
      requesterId: requester.id,
      organizationId: organization.id,
      role: 'STAFF_USER',
      taskQueues: { directory: `${queue}-dir`, notifications: `${queue}-not` },
      timings: { firstReminderAfterMs: 86_400_000, reminderIntervalMs: 86_400_000, escalateWithReminder: 3, expireAfterMs: 30 * 86_400_000 },
    };
    const run = async (): Promise<RoleRequestState> => {
      const handle = await client.workflow.start(ROLE_REQUEST_WORKFLOW, { taskQueue: `${queue}-wf`, workflowId: `role-request-${requestId}`, args: [input] });
      if (o.decideWhileStarting) {
        await asked;
        const decision = await handle.executeUpdate(decideUpdate, { args: [{ deciderId: official.id, decision: 'APPROVE' }] });
        expect(decision.status).toBe('APPROVED');
      }
      return (await handle.result()) as RoleRequestState;
    };
    const [state] = await Promise.all([
      (async () => {
        try {
          return await run();
        } finally {
          workers.forEach((w) => w.shutdown());
        }
      })(),
      ...workers.map((w) => w.run()),
    ]);
    return { state: state as RoleRequestState, sent };
  }

  it('tells the requester and the approver about a decision recorded before the workflow first read the request', async () => {
    const { state, sent } = await runRequest({ decideWhileStarting: true, statusSeen: 'APPROVED' });
    expect(state.status).toBe('APPROVED');
    expect(state.decision?.decider.id).toBe(official.id);
    expect(sent).toEqual(expect.arrayContaining(['decided/requester', `decided/approver/${official.id}`]));
  });

  it('ends without a word when another run closed the request before this workflow started', async () => {
    const { state, sent } = await runRequest({ decideWhileStarting: false, statusSeen: 'APPROVED' });
    expect(state.status).toBe('APPROVED');
    expect(state.decision).toBeNull();
    expect(sent).toEqual([]);
  });
});
