import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ACCESS_WORKFLOWS_PATTERNS } from '@am/contracts';
import { accessWorkflowsPayloads, parsePayload } from '@am/service-kit';
import { NominationWorkflowsService } from './nomination-workflows.service';

/** Nominations of a backup Security Official (issue 18): made and answered through their workflows. */
@Controller()
export class NominationsController {
  constructor(private readonly workflows: NominationWorkflowsService) {}

  @MessagePattern(ACCESS_WORKFLOWS_PATTERNS.nominate)
  nominate(@Payload() payload: unknown) {
    return this.workflows.nominate(parsePayload(accessWorkflowsPayloads.nominate, payload));
  }

  @MessagePattern(ACCESS_WORKFLOWS_PATTERNS.respondToNomination)
  respond(@Payload() payload: unknown) {
    return this.workflows.respond(parsePayload(accessWorkflowsPayloads.respondToNomination, payload));
  }
}
