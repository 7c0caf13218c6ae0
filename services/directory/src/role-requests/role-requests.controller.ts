import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS } from '@am/contracts';
import { directoryPayloads, parsePayload } from '@am/service-kit';
import { RoleRequestsService } from './role-requests.service';

/** Requests are submitted, decided and withdrawn through their workflows (access-workflows); here they are read. */
@Controller()
export class RoleRequestsController {
  constructor(private readonly requests: RoleRequestsService) {}

  @MessagePattern(DIRECTORY_PATTERNS.getRoleRequest)
  get(@Payload() payload: unknown) {
    return this.requests.get(parsePayload(directoryPayloads.getRoleRequest, payload));
  }
}
