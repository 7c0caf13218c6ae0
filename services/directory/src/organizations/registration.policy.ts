import { Inject, Injectable } from '@nestjs/common';
import { currentOrNextPeriod, isOpenAt, type ProgramCalendarRules, type RegistrationView } from '@am/contracts';
import { programCalendarRules } from '@am/service-kit';
import { CLOCK, type Clock } from '../clock/clock';
import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config/directory.config';
import type { Organization } from '../generated/prisma/client';

/** Rule 11: when a practice's registration may be edited, by the program calendar's registration period and the injected clock. */
@Injectable()
export class RegistrationPolicy {
  private readonly calendar: ProgramCalendarRules;

  constructor(
    @Inject(DIRECTORY_CONFIG) config: DirectoryConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.calendar = programCalendarRules(config);
  }

  /** The registration period open now, else the next one. */
  private period() {
    return currentOrNextPeriod(this.calendar, 'REGISTRATION', this.clock.now().getTime());
  }

  isOpen(): boolean {
    return isOpenAt(this.period(), this.clock.now().getTime());
  }

  /** The current window when open, else the next, as ISO dates (UTC, inclusive). */
  dates() {
    const p = this.period();
    return { opens: p.startsOn, closes: p.endsOn };
  }

  view(o: Organization, mayEdit: boolean): RegistrationView {
    return { cmsWebInterface: o.cmsWebInterface, cahpsSurvey: o.cahpsSurvey, editable: mayEdit && o.kind === 'PRACTICE' && this.isOpen(), window: this.dates() };
  }
}
