import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { runMain, runMicroservice } from '@am/service-kit';
import { AppModule } from './app.module';
import { loadDirectoryConfig } from './config/directory.config';
import { migrateUp } from './db/migrate';

runMain(async () => {
  const config = loadDirectoryConfig();
  // The directory owns its schema: it is brought up to date before the service answers anything.
  await migrateUp(config.DATABASE_URL, (msg) => Logger.debug(msg, 'Migrate'));
  await runMicroservice('directory', AppModule.forConfig(config), config);
});
