import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { runMain, runMicroservice } from '@am/service-kit';
import { AppModule } from './app.module';
import { loadNotificationsConfig } from './config/notifications.config';
import { migrateUp } from './db/migrate';

runMain(async () => {
  const config = loadNotificationsConfig();
  // The service owns its schema: it is brought up to date before the service answers anything.
  await migrateUp(config.DATABASE_URL, config.DATABASE_SCHEMA, (msg) => Logger.debug(msg, 'Migrate'));
  await runMicroservice('notifications', AppModule.forConfig(config), config);
});
