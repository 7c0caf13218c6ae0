// The nomination workflow at the workflow level (issue 18): the real workflow code on the real
// Temporal dev server, with the directory's and notifications' activities stubbed in this process.
// The expiry runs with a duration of a few seconds (the same code path as the 14-day default).
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { DomainError, ERROR_CODES, NOMINATION_REFUSALS, STATUS_OF_RESPONSE, type NominationStatus, type NominationView } from '@am/contracts';
import {
  domainErrorIn,
  domainFailure,
  nominateUpdate,
  NOMINATION_WORKFLOW,
  nominationWorkflowId,
  respondUpdate,
  responseUpdateId,
  type DirectoryActivities,
  type NominationOutcome,
  type NominationRecord,
  type NominationState,
  type NominationWorkflowInput,
  type NotificationActivities,
  type NotificationInput,
  type RecordNominationResponseInput,
} from '@am/workflow-contracts';
import { recordHistoryIfAsked, testStack, waitUntil, workflowLevel } from './workflow-level';

const DAY = 86_400_000;

const nominator = { id: randomUUID(), displayName: 'Nora Nominator', email: 'nora@example.com' };
const nominee = { id: randomUUID(), displayName: 'Ned Nominee', email: 'ned@example.com' };
const organization = { id: randomUUID(), name: 'Workflow Level Practice' };

/** A directory that keeps one nomination in memory, as the real one keeps it in PostgreSQL. */
class FakeDirectory {
  calls: string[] = [];
  refuse: DomainError | null = null;
  /** Refuses acceptances with this (the nominator was removed meanwhile), once. */
  refuseAcceptance: DomainError | null = null;
  status: NominationStatus = 'PENDING';
  createdAt: string | null = null;
  respondedAt: string | null = null;
  /** Holds recordNominationResponse until released, to line answers up. */
  holdResponse: Promise<void> | null = null;

  constructor(
    readonly nominationId: string,
    readonly expiresAfterMs: () => number,
  ) {}

  view(): NominationView {
    return {
      id: this.nominationId,
      workflowId: nominationWorkflowId(this.nominationId),
      status: this.status,
      organization: { id: organization.id, kind: 'PRACTICE', identifier: '123456789', name: organization.name },
      nominee: { id: nominee.id, displayName: nominee.displayName },
      nominatedBy: { id: nominator.id, displayName: nominator.displayName },
      message: 'Please be our backup',
      createdAt: this.createdAt!,
      expiresAt: new Date(Date.parse(this.createdAt!) + this.expiresAfterMs()).toISOString(),
      respondedAt: this.respondedAt,
    };
  }

  outcome(): NominationOutcome {
    return { nominationId: this.nominationId, status: this.status as NominationOutcome['status'], respondedAt: this.respondedAt!, view: this.view() };
  }

  activities(): Partial<DirectoryActivities> {
    return {
      recordNomination: async (): Promise<NominationRecord> => {
        this.calls.push('recordNomination');
        if (this.refuse) throw domainFailure(this.refuse);
        this.createdAt ??= new Date().toISOString();
        return { view: this.view(), nominee, nominator, organization };
      },
      recordNominationResponse: async (input: RecordNominationResponseInput) => {
        this.calls.push(`recordNominationResponse:${input.response}`);
        await this.holdResponse;
        if (input.response === 'ACCEPT' && this.refuseAcceptance) {
          const refusal = this.refuseAcceptance;
          this.refuseAcceptance = null;
          throw domainFailure(refusal);
        }
        const status = STATUS_OF_RESPONSE[input.response];
        if (this.status === status) return this.outcome();
        if (this.status !== 'PENDING') throw domainFailure(NOMINATION_REFUSALS.alreadyClosed({ status: this.status, by: nominee, at: this.respondedAt }));
        this.status = status;
        this.respondedAt = new Date().toISOString();
        return this.outcome();
      },
      expireNomination: async () => {
        this.calls.push('expireNomination');
        if (this.status === 'PENDING') {
          this.status = 'EXPIRED';
          this.respondedAt = new Date().toISOString();
        }
        return this.outcome();
      },
    };
  }
}

describe('the nomination workflow, with its activities stubbed', () => {
  const temporal = workflowLevel();
  beforeAll(() => temporal.open(), 120_000);
  afterAll(() => temporal.close());

  interface Run {
    directory: FakeDirectory;
    sent: string[];
    nominate: () => Promise<NominationView>;
    respond: (response: 'ACCEPT' | 'DECLINE', nomineeId?: string) => Promise<NominationView>;
    handle: () => WorkflowHandle;
    input: NominationWorkflowInput;
  }

  /** Workers for one nomination on queues of its own; `body` drives it; the notices sent are collected in order. */
  async function withNomination<T>(expiresAfterMs: number, body: (r: Run) => Promise<T>, setup?: (d: FakeDirectory) => void): Promise<T> {
    const { connection, client, workflowBundle } = temporal.get();
    const queue = `wf-nomination-${randomUUID()}`;
    const nominationId = randomUUID();
    const directory = new FakeDirectory(nominationId, () => expiresAfterMs);
    setup?.(directory);
    const sent: string[] = [];
    const notifications: Partial<NotificationActivities> = {
      sendNotifications: async (inputs: NotificationInput[]) =>
        inputs.map((n) => {
          sent.push(`${n.idempotencyKey.slice(`nomination-${nominationId}/`.length)} ${n.template}`);
          return { messageId: `<${sent.length}@test>`, duplicate: false };
        }),
    };
    const { temporalNamespace: namespace } = testStack();
    const workers = await Promise.all([
      Worker.create({ connection, namespace, taskQueue: `${queue}-wf`, workflowBundle }),
      Worker.create({ connection, namespace, taskQueue: `${queue}-dir`, activities: directory.activities() }),
      Worker.create({ connection, namespace, taskQueue: `${queue}-not`, activities: notifications }),
    ]);
    const input: NominationWorkflowInput = {
      nominationId,
      organizationId: organization.id,
      nominatorId: nominator.id,
      nominee: 'ned.nominee',
      taskQueues: { directory: `${queue}-dir`, notifications: `${queue}-not` },
      expiresAfterMs,
    };
    const handle = () => client.workflow.getHandle(nominationWorkflowId(nominationId));
    const nominate = () =>
      client.workflow.executeUpdateWithStart(nominateUpdate, {
        args: [{ message: 'Please be our backup', proof: 'proof' }],
        startWorkflowOperation: new WithStartWorkflowOperation(NOMINATION_WORKFLOW, {
          workflowId: nominationWorkflowId(nominationId),
          taskQueue: `${queue}-wf`,
          workflowIdConflictPolicy: 'FAIL',
          args: [input],
        }),
      });
    const respond = (response: 'ACCEPT' | 'DECLINE', nomineeId: string = nominee.id) =>
      handle().executeUpdate(respondUpdate, { updateId: responseUpdateId(nominationId, nomineeId, response, randomUUID()), args: [{ nomineeId, response, proof: 'proof' }] });
    const running = workers.map((w) => w.run());
    try {
      return await body({ directory, sent, nominate, respond, handle, input });
    } finally {
      workers.forEach((w) => w.shutdown());
      await Promise.all(running);
    }
  }

  it('accepted: records the nomination, tells the nominee, records the acceptance, tells the nominator once; a retry is answered what was recorded', async () => {
    await withNomination(30 * DAY, async ({ directory, sent, nominate, respond, handle }) => {
      expect(await nominate()).toMatchObject({ status: 'PENDING', nominee: { id: nominee.id } });
      // Only the nominee answers; the validator refuses anyone else before anything is recorded.
      expect(domainErrorIn(await respond('ACCEPT', nominator.id).catch((e: unknown) => e))).toMatchObject({ code: 'FORBIDDEN' });
      expect(await respond('ACCEPT')).toMatchObject({ status: 'ACCEPTED' });
      const final = (await handle().result()) as NominationState;
      expect(final).toMatchObject({ status: 'ACCEPTED', nominee: { id: nominee.id }, nominator: { id: nominator.id }, outcome: { status: 'ACCEPTED' } });
      expect(sent).toEqual([`received/${nominee.id} nomination-received`, `accepted/${nominator.id} nomination-accepted`]);
      expect(directory.calls).toEqual(['recordNomination', 'recordNominationResponse:ACCEPT']);
      await recordHistoryIfAsked(handle(), 'nomination-accept');
    });
  });

  it('declined: the nominator is told; a later acceptance is refused naming the decline', async () => {
    await withNomination(30 * DAY, async ({ directory, sent, nominate, respond, handle }) => {
      let release!: () => void;
      directory.holdResponse = new Promise((resolve) => (release = resolve));
      await nominate();
      const declined = respond('DECLINE');
      await waitUntil(async () => directory.calls.includes('recordNominationResponse:DECLINE'));
      // Accept racing the decline: it waits for the decline, then is refused with what happened when.
      const accepted = respond('ACCEPT').catch((e: unknown) => e);
      release();
      expect(await declined).toMatchObject({ status: 'DECLINED' });
      const refusal = domainErrorIn(await accepted);
      expect(refusal).toMatchObject({ code: 'ALREADY_DECIDED', details: { status: 'DECLINED', decidedById: nominee.id } });
      expect(refusal?.message).toMatch(/^This nomination was already declined by Ned Nominee at /);
      expect((await handle().result()) as NominationState).toMatchObject({ status: 'DECLINED' });
      expect(sent).toEqual([`received/${nominee.id} nomination-received`, `declined/${nominator.id} nomination-declined`]);
      expect(directory.calls).toEqual(['recordNomination', 'recordNominationResponse:DECLINE']);
      await recordHistoryIfAsked(handle(), 'nomination-decline');
    });
  });

  it('expired: nobody answered in time, counted from when it was recorded; the nominator is told and a late answer is refused', async () => {
    await withNomination(3000, async ({ directory, sent, nominate, handle, input }) => {
      const nominated = await nominate();
      const final = (await handle().result()) as NominationState;
      expect(final).toMatchObject({ status: 'EXPIRED', outcome: { status: 'EXPIRED' } });
      expect(Date.parse(final.outcome!.respondedAt) - Date.parse(nominated.createdAt)).toBeGreaterThanOrEqual(input.expiresAfterMs);
      expect(sent).toEqual([`received/${nominee.id} nomination-received`, `expired/${nominator.id} nomination-expired`]);
      expect(directory.calls).toEqual(['recordNomination', 'expireNomination']);
      await recordHistoryIfAsked(handle(), 'nomination-expiry');
    });
  });

  it('an acceptance refused (the nominator lapsed) leaves the nomination pending: the nominee may still decline', async () => {
    await withNomination(
      30 * DAY,
      async ({ directory, sent, nominate, respond, handle }) => {
        await nominate();
        expect(domainErrorIn(await respond('ACCEPT').catch((e: unknown) => e))).toMatchObject({ code: 'NOMINATION_LAPSED' });
        expect(await handle().query('status')).toMatchObject({ status: 'PENDING' });
        expect(await respond('DECLINE')).toMatchObject({ status: 'DECLINED' });
        await handle().result();
        expect(directory.calls).toEqual(['recordNomination', 'recordNominationResponse:ACCEPT', 'recordNominationResponse:DECLINE']);
        expect(sent).toEqual([`received/${nominee.id} nomination-received`, `declined/${nominator.id} nomination-declined`]);
      },
      (d) => (d.refuseAcceptance = new DomainError(ERROR_CODES.NOMINATION_LAPSED, 'Nora Nominator is no longer a Security Official')),
    );
  });

  it('a refused nomination records nothing, tells nobody, and ends', async () => {
    await withNomination(
      30 * DAY,
      async ({ directory, sent, nominate, handle }) => {
        const refusal = await nominate().catch((e: unknown) => e);
        expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
        expect(domainErrorIn(refusal)).toMatchObject({ code: 'ALREADY_NOMINATED', field: 'userId' });
        expect((await handle().result()) as NominationState).toMatchObject({ status: 'PENDING', refusal: { code: 'ALREADY_NOMINATED' } });
        expect(sent).toEqual([]);
        expect(directory.calls).toEqual(['recordNomination']);
        await recordHistoryIfAsked(handle(), 'nomination-refused');
      },
      (d) => (d.refuse = new DomainError(ERROR_CODES.ALREADY_NOMINATED, 'Ned Nominee has a pending nomination here already', 'userId')),
    );
  });
});

