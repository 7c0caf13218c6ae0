// Container healthcheck: `node dist/healthcheck.js` asks the running service for its health.
import { DIRECTORY_PATTERNS } from '@am/contracts';
import { runHealthcheck } from '@am/service-kit';
import { loadDirectoryConfig } from './config/directory.config';

runHealthcheck(loadDirectoryConfig(), 'directory', DIRECTORY_PATTERNS.health);
