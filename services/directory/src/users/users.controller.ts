import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS } from '@am/contracts';
import { directoryPayloads, parsePayload } from '@am/service-kit';
import { UsersService } from './users.service';

@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @MessagePattern(DIRECTORY_PATTERNS.getMe)
  me(@Payload() payload: unknown) {
    return this.users.me(parsePayload(directoryPayloads.getMe, payload).userId);
  }
}
