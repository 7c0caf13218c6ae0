import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS, type CreateRoleRequestCommand, type DecideCommand, type GetRoleRequestQuery, type ListPendingQuery } from '@am/contracts';
import { RoleRequestsService } from './role-requests.service';

@Controller()
export class RoleRequestsController {
  constructor(private readonly requests: RoleRequestsService) {}

  @MessagePattern(DIRECTORY_PATTERNS.createRoleRequest)
  create(@Payload() cmd: CreateRoleRequestCommand) {
    return this.requests.create(cmd);
  }

  @MessagePattern(DIRECTORY_PATTERNS.getRoleRequest)
  get(@Payload() query: GetRoleRequestQuery) {
    return this.requests.get(query);
  }

  @MessagePattern(DIRECTORY_PATTERNS.listPending)
  listPending(@Payload() query: ListPendingQuery) {
    return this.requests.listPending(query);
  }

  @MessagePattern(DIRECTORY_PATTERNS.checkDecider)
  checkDecider(@Payload() cmd: Pick<DecideCommand, 'requestId' | 'deciderId'>) {
    return this.requests.checkDecider(cmd.requestId, cmd.deciderId);
  }
}
