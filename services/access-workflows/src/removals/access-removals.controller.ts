import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ACCESS_WORKFLOWS_PATTERNS, type RemoveAccessCommand } from '@am/contracts';
import { AccessRemovalsService } from './access-removals.service';

@Controller()
export class AccessRemovalsController {
  constructor(private readonly removals: AccessRemovalsService) {}

  @MessagePattern(ACCESS_WORKFLOWS_PATTERNS.removeAccess)
  remove(@Payload() cmd: RemoveAccessCommand) {
    return this.removals.remove(cmd);
  }
}
