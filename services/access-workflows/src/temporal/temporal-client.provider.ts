import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Client, type Connection } from '@temporalio/client';
import { connectTemporalClient } from '@am/service-kit';
import { ACCESS_WORKFLOWS_CONFIG, type AccessWorkflowsConfig } from '../config/access-workflows.config';

/** The Temporal client used to start and update role request workflows. */
@Injectable()
export class TemporalClientProvider implements OnModuleInit, OnApplicationShutdown {
  private connection?: Connection;
  private clientInstance?: Client;

  constructor(@Inject(ACCESS_WORKFLOWS_CONFIG) private readonly config: AccessWorkflowsConfig) {}

  async onModuleInit(): Promise<void> {
    this.connection = await connectTemporalClient(this.config);
    this.clientInstance = new Client({ connection: this.connection, namespace: this.config.TEMPORAL_NAMESPACE });
  }

  get client(): Client {
    if (!this.clientInstance) throw new Error('Temporal client used before the module initialised');
    return this.clientInstance;
  }

  /** Whether the Temporal frontend answers its gRPC health check. */
  async checkHealth(): Promise<'ok' | string> {
    if (!this.connection) return 'not connected';
    return this.connection.healthService.check({}).then(
      () => 'ok' as const,
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection?.close();
  }
}
