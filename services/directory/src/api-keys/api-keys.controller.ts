import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS } from '@am/contracts';
import { directoryPayloads, parsePayload } from '@am/service-kit';
import { ApiKeysService } from './api-keys.service';

@Controller()
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @MessagePattern(DIRECTORY_PATTERNS.createApiKey)
  create(@Payload() payload: unknown) {
    return this.apiKeys.create(parsePayload(directoryPayloads.createApiKey, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.listApiKeys)
  list(@Payload() payload: unknown) {
    return this.apiKeys.list(parsePayload(directoryPayloads.listApiKeys, payload).viewerId);
  }

  @MessagePattern(DIRECTORY_PATTERNS.revokeApiKey)
  revoke(@Payload() payload: unknown) {
    return this.apiKeys.revoke(parsePayload(directoryPayloads.revokeApiKey, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.verifyApiKey)
  verify(@Payload() payload: unknown) {
    return this.apiKeys.verify(parsePayload(directoryPayloads.verifyApiKey, payload));
  }
}
