import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ACCESS_WORKFLOWS_PATTERNS, type CreateRoleRequestCommand, type DecideCommand, type WithdrawCommand } from '@am/contracts';
import { RoleRequestWorkflowsService } from './role-request-workflows.service';

@Controller()
export class RoleRequestsController {
  constructor(private readonly workflows: RoleRequestWorkflowsService) {}

  @MessagePattern(ACCESS_WORKFLOWS_PATTERNS.submit)
  submit(@Payload() cmd: CreateRoleRequestCommand) {
    return this.workflows.submit(cmd);
  }

  @MessagePattern(ACCESS_WORKFLOWS_PATTERNS.decide)
  decide(@Payload() cmd: DecideCommand) {
    return this.workflows.decide(cmd);
  }

  @MessagePattern(ACCESS_WORKFLOWS_PATTERNS.withdraw)
  withdraw(@Payload() cmd: WithdrawCommand) {
    return this.workflows.withdraw(cmd);
  }
}
