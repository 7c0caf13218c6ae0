import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  DIRECTORY_PATTERNS,
  type AccountAdminCommand,
  type AccountRef,
  type AccountTokenCommand,
  type ForgotPasswordCommand,
  type ForgotUserIdCommand,
  type RegisterAccountCommand,
  type ResetPasswordCommand,
} from '@am/contracts';
import { AccountAdminService } from './account-admin.service';
import { AccountsService } from './accounts.service';

@Controller()
export class AccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly admin: AccountAdminService,
  ) {}

  @MessagePattern(DIRECTORY_PATTERNS.register)
  async register(@Payload() cmd: RegisterAccountCommand) {
    await this.accounts.register(cmd);
    return { accepted: true };
  }

  @MessagePattern(DIRECTORY_PATTERNS.verifyEmail)
  verifyEmail(@Payload() cmd: AccountTokenCommand) {
    return this.accounts.verifyEmail(cmd.token);
  }

  @MessagePattern(DIRECTORY_PATTERNS.forgotUserId)
  async forgotUserId(@Payload() cmd: ForgotUserIdCommand) {
    await this.accounts.forgotUserId(cmd);
    return { accepted: true };
  }

  @MessagePattern(DIRECTORY_PATTERNS.forgotPassword)
  async forgotPassword(@Payload() cmd: ForgotPasswordCommand) {
    await this.accounts.forgotPassword(cmd);
    return { accepted: true };
  }

  @MessagePattern(DIRECTORY_PATTERNS.resetPassword)
  resetPassword(@Payload() cmd: ResetPasswordCommand) {
    return this.accounts.resetPassword(cmd);
  }

  @MessagePattern(DIRECTORY_PATTERNS.getAccount)
  get(@Payload() ref: AccountRef) {
    return this.admin.get(ref);
  }

  @MessagePattern(DIRECTORY_PATTERNS.disableAccount)
  disable(@Payload() cmd: AccountAdminCommand) {
    return this.admin.disable(cmd);
  }

  @MessagePattern(DIRECTORY_PATTERNS.enableAccount)
  enable(@Payload() cmd: AccountAdminCommand) {
    return this.admin.enable(cmd);
  }

  @MessagePattern(DIRECTORY_PATTERNS.resetTwoFactor)
  resetTwoFactor(@Payload() cmd: AccountAdminCommand) {
    return this.admin.resetTwoFactor(cmd);
  }
}
