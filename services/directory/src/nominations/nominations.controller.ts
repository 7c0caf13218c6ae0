import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS } from '@am/contracts';
import { directoryPayloads, parsePayload } from '@am/service-kit';
import { NominationsService } from './nominations.service';

/** Nominations are made and answered through their workflows (access-workflows); here they are read. */
@Controller()
export class NominationsController {
  constructor(private readonly nominations: NominationsService) {}

  @MessagePattern(DIRECTORY_PATTERNS.getNomination)
  get(@Payload() payload: unknown) {
    return this.nominations.get(parsePayload(directoryPayloads.getNomination, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.myNominations)
  mine(@Payload() payload: unknown) {
    return this.nominations.mine(parsePayload(directoryPayloads.myNominations, payload).userId);
  }
}
