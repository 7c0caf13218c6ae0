import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS } from '@am/contracts';
import { directoryPayloads, parsePayload } from '@am/service-kit';
import { CalendarFeedService } from './calendar-feed.service';

@Controller()
export class CalendarFeedController {
  constructor(private readonly feeds: CalendarFeedService) {}

  @MessagePattern(DIRECTORY_PATTERNS.showCalendarFeed)
  show(@Payload() payload: unknown) {
    return this.feeds.show(parsePayload(directoryPayloads.showCalendarFeed, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.rotateCalendarFeed)
  rotate(@Payload() payload: unknown) {
    return this.feeds.rotate(parsePayload(directoryPayloads.rotateCalendarFeed, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.resolveCalendarFeed)
  resolve(@Payload() payload: unknown) {
    return this.feeds.resolve(parsePayload(directoryPayloads.resolveCalendarFeed, payload));
  }
}
