import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ACCESS_WORKFLOWS_PATTERNS } from '@am/contracts';
import { accessWorkflowsPayloads, parsePayload } from '@am/service-kit';
import { AccessReviewWorkflowsService } from './access-review-workflows.service';

/** Access reviews (issue 18): campaigns started and decisions recorded through their workflows. */
@Controller()
export class AccessReviewsController {
  constructor(private readonly workflows: AccessReviewWorkflowsService) {}

  @MessagePattern(ACCESS_WORKFLOWS_PATTERNS.startAccessReviewCampaign)
  start(@Payload() payload: unknown) {
    return this.workflows.start(parsePayload(accessWorkflowsPayloads.startAccessReviewCampaign, payload));
  }

  @MessagePattern(ACCESS_WORKFLOWS_PATTERNS.decideAccessReview)
  decide(@Payload() payload: unknown) {
    return this.workflows.decide(parsePayload(accessWorkflowsPayloads.decideAccessReview, payload));
  }
}
