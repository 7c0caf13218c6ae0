import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { NominationResponse, NominationStatus, NominationView } from '@am/contracts';
import type { Person } from './role-request';

export const NOMINATION_WORKFLOW = 'nominationWorkflow';

/** Workflow ids come from the business id, so operators find a nomination by it in Temporal's UI. */
export function nominationWorkflowId(nominationId: string): string {
  return `nomination-${nominationId}`;
}

/** The Update id of one answer call (per call, like decisions: a retry is answered by the workflow from what it recorded). */
export function responseUpdateId(nominationId: string, nomineeId: string, response: NominationResponse, call: string): string {
  return `respond/${nominationId}/${nomineeId}/${response}/${call}`;
}

export interface NominationWorkflowInput {
  nominationId: string;
  organizationId: string;
  nominatorId: string;
  /** The nominee as the nominator named them (an account id or a login id); the directory resolves it. */
  nominee: string;
  /** Task queues of the services whose activities the workflow calls. */
  taskQueues: { directory: string; notifications: string };
  /** NOMINATION_EXPIRES_AFTER when the workflow started: the nomination expires this long after it was recorded. */
  expiresAfterMs: number;
}

/** The nomination, delivered with the workflow's start: the workflow records it and answers with the view. */
export interface NominateUpdateInput {
  message?: string;
  /** The gateway's caller proof (nomination.create), verified by the directory when it records it. */
  proof: string;
}

/** What the directory recorded for a nomination: the view the nominator is answered, and who it concerns. */
export interface NominationRecord {
  view: NominationView;
  nominee: Person;
  nominator: Person;
  organization: { id: string; name: string };
}

export interface RespondUpdateInput {
  nomineeId: string;
  response: NominationResponse;
  /** The gateway's caller proof (nomination.respond), verified by the directory when it records the answer. */
  proof: string;
}

/** How a nomination ended: accepted, declined or expired, and when. */
export interface NominationOutcome {
  nominationId: string;
  status: Exclude<NominationStatus, 'PENDING'>;
  respondedAt: string;
  /** The nomination as its nominee sees it: what the answer returns. */
  view: NominationView;
}

/** What the status Query answers: enough for an operator to understand a nomination at a glance. */
export interface NominationState {
  nominationId: string;
  status: NominationStatus;
  organization: { id: string; name: string } | null;
  nominee: { id: string; displayName: string } | null;
  nominator: { id: string; displayName: string } | null;
  outcome: NominationOutcome | null;
  /** Why the nomination was refused (not a Security Official, nominee unknown, ACO...): nothing was recorded. */
  refusal: { code: string; message: string } | null;
}

export const nominateUpdate = defineUpdate<NominationView, [NominateUpdateInput]>('nominate');
export const respondUpdate = defineUpdate<NominationView, [RespondUpdateInput]>('respond');
export const nominationStatusQuery = defineQuery<NominationState>('status');
