import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS } from '@am/contracts';
import { directoryPayloads, parsePayload } from '@am/service-kit';
import { AccessReviewsService } from './access-reviews.service';

/** Access reviews are opened and decided through their workflows (access-workflows); here they are read. */
@Controller()
export class AccessReviewsController {
  constructor(private readonly reviews: AccessReviewsService) {}

  @MessagePattern(DIRECTORY_PATTERNS.getAccessReview)
  get(@Payload() payload: unknown) {
    return this.reviews.get(parsePayload(directoryPayloads.getAccessReview, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.listAccessReviewCampaigns)
  campaigns(@Payload() payload: unknown) {
    return this.reviews.campaigns(parsePayload(directoryPayloads.listAccessReviewCampaigns, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.myAccessReviews)
  mine(@Payload() payload: unknown) {
    return this.reviews.mine(parsePayload(directoryPayloads.myAccessReviews, payload).userId);
  }
}
