import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ACCESS_WORKFLOWS_PATTERNS } from '@am/contracts';
import { accessWorkflowsPayloads, parsePayload } from '@am/service-kit';
import { AccessRemovalsService } from './access-removals.service';

@Controller()
export class AccessRemovalsController {
  constructor(private readonly removals: AccessRemovalsService) {}

  @MessagePattern(ACCESS_WORKFLOWS_PATTERNS.removeAccess)
  remove(@Payload() payload: unknown) {
    return this.removals.remove(parsePayload(accessWorkflowsPayloads.removeAccess, payload));
  }
}
