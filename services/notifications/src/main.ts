import 'reflect-metadata';
import { runMain, runMicroservice } from '@am/service-kit';
import { AppModule } from './app.module';
import { loadNotificationsConfig } from './config/notifications.config';

runMain(async () => {
  const config = loadNotificationsConfig();
  await runMicroservice('notifications', AppModule.forConfig(config), config);
});
