import 'reflect-metadata';
import { runMain, runMicroservice } from '@am/service-kit';
import { AppModule } from './app.module';
import { loadAccessWorkflowsConfig } from './config/access-workflows.config';

runMain(async () => {
  const config = loadAccessWorkflowsConfig();
  await runMicroservice('access-workflows', AppModule.forConfig(config), config);
});
