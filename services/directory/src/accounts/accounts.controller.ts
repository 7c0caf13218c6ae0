import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS } from '@am/contracts';
import { directoryPayloads, parsePayload } from '@am/service-kit';
import { AccountAdminService } from './account-admin.service';
import { AccountsService } from './accounts.service';

@Controller()
export class AccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly admin: AccountAdminService,
  ) {}

  @MessagePattern(DIRECTORY_PATTERNS.register)
  async register(@Payload() payload: unknown) {
    await this.accounts.register(parsePayload(directoryPayloads.register, payload));
    return { accepted: true };
  }

  @MessagePattern(DIRECTORY_PATTERNS.verifyEmail)
  verifyEmail(@Payload() payload: unknown) {
    return this.accounts.verifyEmail(parsePayload(directoryPayloads.verifyEmail, payload).token);
  }

  @MessagePattern(DIRECTORY_PATTERNS.forgotUserId)
  async forgotUserId(@Payload() payload: unknown) {
    await this.accounts.forgotUserId(parsePayload(directoryPayloads.forgotUserId, payload));
    return { accepted: true };
  }

  @MessagePattern(DIRECTORY_PATTERNS.forgotPassword)
  async forgotPassword(@Payload() payload: unknown) {
    await this.accounts.forgotPassword(parsePayload(directoryPayloads.forgotPassword, payload));
    return { accepted: true };
  }

  @MessagePattern(DIRECTORY_PATTERNS.resetPassword)
  resetPassword(@Payload() payload: unknown) {
    return this.accounts.resetPassword(parsePayload(directoryPayloads.resetPassword, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.getAccount)
  get(@Payload() payload: unknown) {
    return this.admin.get(parsePayload(directoryPayloads.getAccount, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.disableAccount)
  disable(@Payload() payload: unknown) {
    return this.admin.disable(parsePayload(directoryPayloads.disableAccount, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.enableAccount)
  enable(@Payload() payload: unknown) {
    return this.admin.enable(parsePayload(directoryPayloads.enableAccount, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.resetTwoFactor)
  resetTwoFactor(@Payload() payload: unknown) {
    return this.admin.resetTwoFactor(parsePayload(directoryPayloads.resetTwoFactor, payload));
  }
}
