import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS } from '@am/contracts';
import { directoryPayloads, parsePayload } from '@am/service-kit';
import { EmailPreferencesService } from './email-preferences.service';

@Controller()
export class EmailPreferencesController {
  constructor(private readonly preferences: EmailPreferencesService) {}

  @MessagePattern(DIRECTORY_PATTERNS.getEmailPreferences)
  get(@Payload() payload: unknown) {
    return this.preferences.get(parsePayload(directoryPayloads.getEmailPreferences, payload).userId);
  }

  @MessagePattern(DIRECTORY_PATTERNS.updateEmailPreferences)
  update(@Payload() payload: unknown) {
    return this.preferences.update(parsePayload(directoryPayloads.updateEmailPreferences, payload));
  }
}
