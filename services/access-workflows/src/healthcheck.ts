// Container healthcheck: `node dist/healthcheck.js` asks the running service for its health.
import { ACCESS_WORKFLOWS_PATTERNS } from '@am/contracts';
import { runHealthcheck } from '@am/service-kit';
import { loadAccessWorkflowsConfig } from './config/access-workflows.config';

runHealthcheck(loadAccessWorkflowsConfig(), 'access-workflows', ACCESS_WORKFLOWS_PATTERNS.health);
