import { Injectable } from '@nestjs/common';
import { DomainError } from '@am/contracts';
import { domainFailure, type DirectoryActivities, type RecordDecisionInput } from '@am/workflow-contracts';
import { AccessReviewsService } from '../access-reviews/access-reviews.service';
import { EmailPreferencesService } from '../email-preferences/email-preferences.service';
import { NominationsService } from '../nominations/nominations.service';
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
    private readonly nominations: NominationsService,
    private readonly reviews: AccessReviewsService,
    private readonly preferences: EmailPreferencesService,
  ) {}

  activities(): DirectoryActivities {
    return {
      // The parties carry each approver's email choice (issue 19): see EmailPreferencesService.withDigestChoices.
      recordSubmission: (input) =>
        asActivity(async () => {
          const record = await this.requests.recordSubmission(input);
          return { ...record, parties: await this.preferences.withDigestChoices(record.parties) };
        }),
      recordDecision: (input: RecordDecisionInput) => asActivity(() => this.requests.recordDecision(input)),
      undoDecision: (input) => asActivity(() => this.requests.undoDecision(input)),
      getRequestParties: (input) => asActivity(async () => this.preferences.withDigestChoices(await this.requests.parties(input.requestId))),
      withdrawRequest: (input) => asActivity(() => this.requests.withdraw(input)),
      expireRequest: (input) => asActivity(() => this.requests.expire(input)),
      recordReminder: (input) => asActivity(() => this.requests.recordReminder(input)),
      removeAccess: (input) => asActivity(() => this.removal.remove(input)),
      recordNomination: (input) => asActivity(() => this.nominations.record(input)),
      recordNominationResponse: (input) => asActivity(() => this.nominations.respond(input)),
      expireNomination: (input) => asActivity(() => this.nominations.expire(input)),
      openAccessReviewCampaign: (input) => asActivity(() => this.reviews.openCampaign(input)),
      campaignReviewPage: (input) => asActivity(() => this.reviews.reviewPage(input)),
      accessReviewParties: (input) => asActivity(() => this.reviews.parties(input)),
      recordAccessReviewDecisions: (input) => asActivity(() => this.reviews.decide(input)),
      recordAccessReviewRemovalRefused: (input) => asActivity(() => this.reviews.removalRefused(input)),
      applyAccessReviewPolicy: (input) => asActivity(() => this.reviews.applyPolicy(input)),
      completeAccessReview: (input) => asActivity(() => this.reviews.complete(input)),
      dueEmailDigests: (input) => asActivity(() => this.preferences.dueDigests(input)),
      emailDigestContent: (input) => asActivity(() => this.preferences.digestContent(input)),
      markEmailDigestSent: (input) => asActivity(() => this.preferences.markSent(input)),
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
