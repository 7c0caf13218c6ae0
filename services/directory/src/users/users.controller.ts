import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS, type UserIdRequest } from '@am/contracts';
import { UsersService } from './users.service';

@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @MessagePattern(DIRECTORY_PATTERNS.getMe)
  me(@Payload() req: UserIdRequest) {
    return this.users.me(req.userId);
  }
}
