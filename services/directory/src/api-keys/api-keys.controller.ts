import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS, type ApiKeyRef, type CreateApiKeyCommand, type VerifyApiKeyRequest } from '@am/contracts';
import { ApiKeysService } from './api-keys.service';

@Controller()
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @MessagePattern(DIRECTORY_PATTERNS.createApiKey)
  create(@Payload() cmd: CreateApiKeyCommand) {
    return this.apiKeys.create(cmd);
  }

  @MessagePattern(DIRECTORY_PATTERNS.listApiKeys)
  list(@Payload() q: { viewerId: string }) {
    return this.apiKeys.list(q.viewerId);
  }

  @MessagePattern(DIRECTORY_PATTERNS.revokeApiKey)
  revoke(@Payload() ref: ApiKeyRef) {
    return this.apiKeys.revoke(ref);
  }

  @MessagePattern(DIRECTORY_PATTERNS.verifyApiKey)
  verify(@Payload() req: VerifyApiKeyRequest) {
    return this.apiKeys.verify(req);
  }
}
