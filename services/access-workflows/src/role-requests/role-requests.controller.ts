import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ACCESS_WORKFLOWS_PATTERNS } from '@am/contracts';
import { accessWorkflowsPayloads, parsePayload } from '@am/service-kit';
import { RoleRequestWorkflowsService } from './role-request-workflows.service';

@Controller()
export class RoleRequestsController {
  constructor(private readonly workflows: RoleRequestWorkflowsService) {}

  @MessagePattern(ACCESS_WORKFLOWS_PATTERNS.submit)
  submit(@Payload() payload: unknown) {
    return this.workflows.submit(parsePayload(accessWorkflowsPayloads.submit, payload));
  }

  @MessagePattern(ACCESS_WORKFLOWS_PATTERNS.decide)
  decide(@Payload() payload: unknown) {
    return this.workflows.decide(parsePayload(accessWorkflowsPayloads.decide, payload));
  }

  @MessagePattern(ACCESS_WORKFLOWS_PATTERNS.decideMany)
  decideMany(@Payload() payload: unknown) {
    return this.workflows.decideMany(parsePayload(accessWorkflowsPayloads.decideMany, payload));
  }

  @MessagePattern(ACCESS_WORKFLOWS_PATTERNS.undo)
  undo(@Payload() payload: unknown) {
    return this.workflows.undo(parsePayload(accessWorkflowsPayloads.undo, payload));
  }

  @MessagePattern(ACCESS_WORKFLOWS_PATTERNS.withdraw)
  withdraw(@Payload() payload: unknown) {
    return this.workflows.withdraw(parsePayload(accessWorkflowsPayloads.withdraw, payload));
  }
}
