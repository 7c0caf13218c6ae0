// Container healthcheck: `node dist/healthcheck.js` asks the running service for its health.
import { NOTIFICATIONS_PATTERNS } from '@am/contracts';
import { runHealthcheck } from '@am/service-kit';
import { loadNotificationsConfig } from './config/notifications.config';

runHealthcheck(loadNotificationsConfig(), 'notifications', NOTIFICATIONS_PATTERNS.health);
