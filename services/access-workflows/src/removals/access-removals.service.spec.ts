import type { WithStartWorkflowOperation } from '@temporalio/client';
import type { RemovalRecord, RemoveAccessCommand } from '@am/contracts';
import type { CallerProofVerifier } from '@am/service-kit';
import type { AccessWorkflowsConfig } from '../config/access-workflows.config';
import type { TemporalClientProvider } from '../temporal/temporal-client.provider';
import { AccessRemovalsService } from './access-removals.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The service against a Temporal client that records the start and answers what the workflow recorded. */
function serviceAnswering(record: RemovalRecord) {
  const starts: string[] = [];
  const temporal = {
    client: {
      workflow: {
        executeUpdateWithStart: async (_update: unknown, o: { startWorkflowOperation: WithStartWorkflowOperation<never> }) => {
          starts.push(String(o.startWorkflowOperation.options.workflowId));
          return record;
        },
      },
    },
  } as unknown as TemporalClientProvider;
  const proofs = { verify: async () => undefined } as unknown as CallerProofVerifier;
  return { service: new AccessRemovalsService({ TASK_QUEUE_PREFIX: 'unit' } as AccessWorkflowsConfig, temporal, proofs), starts };
}

const command: RemoveAccessCommand = { organizationId: 'o', userId: 'u', removedById: 'r', proof: 'p' };
// What the directory records as its retry key: the workflow id (access-removal.workflow.ts).
const recorded = (removalId: string): RemovalRecord => ({
  removalId,
  organization: { id: 'o', name: 'Acme' },
  user: { id: 'u', displayName: 'U', email: 'u@example.com' },
  role: 'STAFF_USER',
  removedBy: { id: 'r', displayName: 'R' },
  reason: null,
  removedAt: '2026-03-02T14:05:09.123Z',
});

describe('AccessRemovalsService: the removal id (issue 16)', () => {
  it('names a removal by a UUID, and its workflow access-removal-<that UUID>', async () => {
    const { service, starts } = serviceAnswering(recorded('access-removal-whatever-the-workflow-recorded'));
    const answer = await service.remove(command);
    expect(answer.removalId).toMatch(UUID);
    expect(starts).toEqual([`access-removal-${answer.removalId}`]);
  });

  it('answers the same id for a retried removal that names it', async () => {
    const removalId = '8d5c2b1a-3e9f-4a6c-9b0d-4f1e9c0a2d38';
    const { service, starts } = serviceAnswering(recorded(`access-removal-${removalId}`));
    expect((await service.remove({ ...command, removalId })).removalId).toBe(removalId);
    expect((await service.remove({ ...command, removalId })).removalId).toBe(removalId);
    expect(starts).toEqual([`access-removal-${removalId}`, `access-removal-${removalId}`]);
  });
});
