import { Inject, Injectable } from '@nestjs/common';
import type { RegistrationView } from '@am/contracts';
import { CLOCK, type Clock } from '../clock/clock';
import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config/directory.config';
import type { Organization } from '../generated/prisma/client';
import { isWindowOpen, parseRegistrationWindow, windowDates, type RegistrationWindow } from './registration-window';

/** Rule 11: when a practice's registration may be edited, by the configured window and the injected clock. */
@Injectable()
export class RegistrationPolicy {
  private readonly window: RegistrationWindow;

  constructor(
    @Inject(DIRECTORY_CONFIG) config: Pick<DirectoryConfig, 'REGISTRATION_WINDOW'>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.window = parseRegistrationWindow(config.REGISTRATION_WINDOW)!;
  }

  isOpen(): boolean {
    return isWindowOpen(this.window, this.clock.now());
  }

  dates() {
    return windowDates(this.window, this.clock.now());
  }

  view(o: Organization, mayEdit: boolean): RegistrationView {
    return { cmsWebInterface: o.cmsWebInterface, cahpsSurvey: o.cahpsSurvey, editable: mayEdit && o.kind === 'PRACTICE' && this.isOpen(), window: this.dates() };
  }
}
