import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ClientsModule } from '@nestjs/microservices';
import { ServeStaticModule } from '@nestjs/serve-static';
import { ACCESS_WORKFLOWS_CLIENT, DIRECTORY_CLIENT, NOTIFICATIONS_CLIENT } from '@am/contracts';
import { clientTransport } from '@am/service-kit';
import { AccountThrottle } from './accounts/account-throttle';
import { AccessReviewsController } from './access-reviews/access-reviews.controller';
import { AccountsController } from './accounts/accounts.controller';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { AuditController } from './audit/audit.controller';
import { AuthController } from './auth/auth.controller';
import { AuthRateLimitGuard } from './auth/auth-rate-limit.guard';
import { AuthService } from './auth/auth.service';
import { CallerProofs } from './auth/caller-proofs.service';
import { SessionChecks } from './auth/session-checks.service';
import { SessionGuard } from './auth/session.guard';
import { TokensService } from './auth/tokens.service';
import { IdempotencyInterceptor } from './common/idempotency.interceptor';
import { RateLimits } from './common/rate-limits.service';
import { GATEWAY_CONFIG, type GatewayConfig } from './config/gateway.config';
import { HealthController } from './health/health.controller';
import { CoverageController } from './coverage/coverage.controller';
import { ManageAccessController } from './manage-access/manage-access.controller';
import { EmailPreferencesController } from './me/email-preferences.controller';
import { MeController } from './me/me.controller';
import { NominationsController } from './nominations/nominations.controller';
import { NoticeFeed } from './notifications/notice-feed.service';
import { NoticeStream } from './notifications/notice-stream.service';
import { NotificationsController } from './notifications/notifications.controller';
import { OrganizationsController } from './organizations/organizations.controller';
import { CalendarFeedController, ProgramCalendarController } from './program-calendar/program-calendar.controller';
import { ProgramCalendarService } from './program-calendar/program-calendar.service';
import { RoleRequestsController } from './role-requests/role-requests.controller';
import { UsersController } from './users/users.controller';
import { WebhooksController } from './webhooks/webhooks.controller';

@Module({})
export class AppModule {
  static forConfig(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ClientsModule.register([
          clientTransport(config, 'directory', DIRECTORY_CLIENT),
          clientTransport(config, 'access-workflows', ACCESS_WORKFLOWS_CLIENT),
          clientTransport(config, 'notifications', NOTIFICATIONS_CLIENT),
        ]),
        // The web UI (services/web) at `/`, with index.html for its client-side routes; the API stays the API's.
        ServeStaticModule.forRoot({ rootPath: config.WEB_DIST_DIR, exclude: ['/api/{*path}', '/health'] }),
      ],
      controllers: [AuthController, MeController, EmailPreferencesController, RoleRequestsController, NominationsController, AccessReviewsController, ManageAccessController, CoverageController, OrganizationsController, AuditController, ApiKeysController, HealthController,
        NotificationsController, AccountsController, UsersController, ProgramCalendarController, CalendarFeedController, WebhooksController],
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }, { provide: APP_GUARD, useClass: SessionGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }, TokensService, SessionChecks, CallerProofs, AuthService, NoticeFeed, NoticeStream, AccountThrottle, ProgramCalendarService,
        // Rate limits in the store every instance shares (PostgreSQL or Redis).
        RateLimits, AuthRateLimitGuard],
    };
  }
}
