import { Module, type DynamicModule } from '@nestjs/common';
import { ClientsModule } from '@nestjs/microservices';
import { NOTIFICATIONS_CLIENT } from '@am/contracts';
import { callerProofVerifierProvider, clientTransport } from '@am/service-kit';
import { AccessReviewsController } from './access-reviews/access-reviews.controller';
import { AccessReviewsRepository } from './access-reviews/access-reviews.repository';
import { AccessReviewsService } from './access-reviews/access-reviews.service';
import { AccountAdminService } from './accounts/account-admin.service';
import { AccountEmails } from './accounts/account-emails';
import { AccountsController } from './accounts/accounts.controller';
import { AccountsRepository } from './accounts/accounts.repository';
import { AccountsService } from './accounts/accounts.service';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysRepository } from './api-keys/api-keys.repository';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuditRepository } from './audit/audit.repository';
import { AuditService } from './audit/audit.service';
import { CalendarFeedController } from './calendar-feed/calendar-feed.controller';
import { CalendarFeedRepository } from './calendar-feed/calendar-feed.repository';
import { CalendarFeedService } from './calendar-feed/calendar-feed.service';
import { CLOCK, systemClock } from './clock/clock';
import { CoverageRepository } from './coverage/coverage.repository';
import { CoverageService } from './coverage/coverage.service';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { Credentials } from './auth/credentials';
import { CredentialsRepository } from './auth/credentials.repository';
import { TotpSecrets } from './auth/totp-secrets';
import { TwoFactorService } from './auth/two-factor.service';
import { DIRECTORY_CONFIG, type DirectoryConfig } from './config/directory.config';
import { EmailPreferencesController } from './email-preferences/email-preferences.controller';
import { EmailPreferencesRepository } from './email-preferences/email-preferences.repository';
import { EmailPreferencesService } from './email-preferences/email-preferences.service';
import { HealthController } from './health/health.controller';
import { IdempotencyController } from './idempotency/idempotency.controller';
import { IdempotencyRepository } from './idempotency/idempotency.repository';
import { IdempotencyService } from './idempotency/idempotency.service';
import { ManageAccessRepository } from './manage-access/manage-access.repository';
import { ManageAccessService } from './manage-access/manage-access.service';
import { NominationsController } from './nominations/nominations.controller';
import { NominationsRepository } from './nominations/nominations.repository';
import { NominationsService } from './nominations/nominations.service';
import { OrganizationsController } from './organizations/organizations.controller';
import { OrganizationsRepository } from './organizations/organizations.repository';
import { OrganizationsService } from './organizations/organizations.service';
import { RegistrationPolicy } from './organizations/registration.policy';
import { RemovalService } from './organizations/removal.service';
import { PrismaService } from './prisma/prisma.service';
import { RoleRequestsController } from './role-requests/role-requests.controller';
import { RoleRequestsRepository } from './role-requests/role-requests.repository';
import { RoleRequestsService } from './role-requests/role-requests.service';
import { DirectoryActivitiesProvider } from './temporal/directory.activities';
import { DirectoryWorker } from './temporal/directory-worker';
import { UsersController } from './users/users.controller';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';
import { WebhookDeliveryActivities } from './webhooks/webhook-delivery.activities';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';
import { WebhookEvents } from './webhooks/webhook-events';
import { WebhookWorker } from './webhooks/webhook-worker';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksRepository } from './webhooks/webhooks.repository';
import { WebhooksService } from './webhooks/webhooks.service';

@Module({})
export class AppModule {
  static forConfig(config: DirectoryConfig): DynamicModule {
    return {
      module: AppModule,
      // Account emails (issue 10) are queued with the notifications service.
      imports: [ClientsModule.register([clientTransport(config, 'notifications', NOTIFICATIONS_CLIENT)])],
      controllers: [AuthController, AccountsController, UsersController, RoleRequestsController, NominationsController, AccessReviewsController, EmailPreferencesController, OrganizationsController, HealthController, IdempotencyController, ApiKeysController, CalendarFeedController, WebhooksController],
      providers: [
        { provide: DIRECTORY_CONFIG, useValue: config },
        { provide: CLOCK, useValue: systemClock },
        callerProofVerifierProvider(DIRECTORY_CONFIG),
        TotpSecrets,
        OrganizationsRepository,
        CoverageRepository,
        AccessReviewsRepository,
        AccessReviewsService,
        CoverageService,
        ApiKeysRepository,
        ApiKeysService,
        CalendarFeedRepository,
        CalendarFeedService,
        ManageAccessRepository,
        RegistrationPolicy,
        OrganizationsService,
        RemovalService,
        ManageAccessService,
        EmailPreferencesRepository,
        EmailPreferencesService,
        AuditService,
        PrismaService,
        AuditRepository,
        UsersRepository,
        RoleRequestsRepository,
        Credentials,
        CredentialsRepository,
        IdempotencyRepository,
        IdempotencyService,
        AuthService,
        TwoFactorService,
        AccountsRepository,
        AccountEmails,
        AccountsService,
        AccountAdminService,
        UsersService,
        RoleRequestsService,
        NominationsRepository,
        NominationsService,
        DirectoryActivitiesProvider,
        DirectoryWorker,
        WebhooksRepository,
        WebhookEvents,
        WebhookDispatcher,
        WebhooksService,
        WebhookDeliveryActivities,
        WebhookWorker,
      ],
    };
  }
}
