import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS, type GetRoleRequestQuery } from '@am/contracts';
import { RoleRequestsService } from './role-requests.service';

/** Requests are submitted, decided and withdrawn through their workflows (access-workflows); here they are read. */
@Controller()
export class RoleRequestsController {
  constructor(private readonly requests: RoleRequestsService) {}

  @MessagePattern(DIRECTORY_PATTERNS.getRoleRequest)
  get(@Payload() query: GetRoleRequestQuery) {
    return this.requests.get(query);
  }
}
