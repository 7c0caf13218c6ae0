import { Injectable } from '@nestjs/common';
import { DomainError } from '@am/contracts';
import { domainFailure, type DirectoryActivities, type RecordDecisionInput } from '@am/workflow-contracts';
import { RemovalService } from '../organizations/removal.service';
import { RoleRequestsService } from '../role-requests/role-requests.service';

/**
 * The directory's Temporal activities. Business refusals become non-retryable failures whose
 * type is the domain error code, so the workflow (and the caller of its Update) can tell them
 * apart from outages, which Temporal retries.
 */
@Injectable()
export class DirectoryActivitiesProvider {
  constructor(
    private readonly requests: RoleRequestsService,
    private readonly removal: RemovalService,
  ) {}

  activities(): DirectoryActivities {
    return {
      recordSubmission: (input) => asActivity(() => this.requests.recordSubmission(input)),
      recordDecision: (input: RecordDecisionInput) => asActivity(() => this.requests.recordDecision(input)),
      undoDecision: (input) => asActivity(() => this.requests.undoDecision(input)),
      getRequestParties: (input) => asActivity(() => this.requests.parties(input.requestId)),
      withdrawRequest: (input) => asActivity(() => this.requests.withdraw(input)),
      expireRequest: (input) => asActivity(() => this.requests.expire(input)),
      recordReminder: (input) => asActivity(() => this.requests.recordReminder(input)),
      removeAccess: (input) => asActivity(() => this.removal.remove(input)),
    };
  }
}

async function asActivity<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof DomainError) throw domainFailure(err);
    throw err;
  }
}
