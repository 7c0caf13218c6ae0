import { Module, type DynamicModule } from '@nestjs/common';
import { ClientsModule } from '@nestjs/microservices';
import { DIRECTORY_CLIENT } from '@am/contracts';
import { callerProofVerifierProvider, clientTransport } from '@am/service-kit';
import { ACCESS_WORKFLOWS_CONFIG, type AccessWorkflowsConfig } from './config/access-workflows.config';
import { AccessReviewActivities } from './access-reviews/access-review.activities';
import { AccessReviewSchedule } from './access-reviews/access-review-schedule';
import { AccessReviewWorkflowsService } from './access-reviews/access-review-workflows.service';
import { AccessReviewsController } from './access-reviews/access-reviews.controller';
import { EmailDigestSchedule } from './email-digest/email-digest-schedule';
import { HealthController } from './health/health.controller';
import { NominationsController } from './nominations/nominations.controller';
import { NominationWorkflowsService } from './nominations/nomination-workflows.service';
import { AccessRemovalsController } from './removals/access-removals.controller';
import { AccessRemovalsService } from './removals/access-removals.service';
import { RoleRequestWorkflowsService } from './role-requests/role-request-workflows.service';
import { RoleRequestsController } from './role-requests/role-requests.controller';
import { AccessWorkflowsWorker } from './temporal/access-workflows-worker';
import { TemporalClientProvider } from './temporal/temporal-client.provider';

@Module({})
export class AppModule {
  static forConfig(config: AccessWorkflowsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ClientsModule.register([clientTransport(config, 'directory', DIRECTORY_CLIENT)])],
      controllers: [RoleRequestsController, AccessRemovalsController, NominationsController, AccessReviewsController, HealthController],
      providers: [
        { provide: ACCESS_WORKFLOWS_CONFIG, useValue: config },
        // Commands acting for a person are refused at once without the gateway's proof (issue 14);
        // the directory verifies it again where it records the change.
        callerProofVerifierProvider(ACCESS_WORKFLOWS_CONFIG),
        TemporalClientProvider,
        AccessWorkflowsWorker,
        RoleRequestWorkflowsService,
        AccessRemovalsService,
        NominationWorkflowsService,
        AccessReviewWorkflowsService,
        AccessReviewActivities,
        AccessReviewSchedule,
        EmailDigestSchedule,
      ],
    };
  }
}
