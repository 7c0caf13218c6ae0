import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Duration } from '@temporalio/common';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { connectTemporalWorker, describeTemporalConnection, type TemporalConnectionConfig } from './temporal-connection';

/**
 * A Temporal worker whose life follows the Nest application's: created on bootstrap, its run()
 * promise kept (a crash of the worker ends the process loudly), drained by shutdown() when the
 * application closes.
 */
export abstract class TemporalWorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(this.constructor.name);
  private worker?: Worker;
  private connection?: NativeConnection;
  private running?: Promise<void>;

  /** The service's configuration: Temporal's address, namespace and TLS (TEMPORAL_TLS_*). */
  protected abstract connectionOptions(): TemporalConnectionConfig;
  protected abstract workerOptions(): Omit<WorkerOptions, 'connection' | 'namespace'>;

  /**
   * On SIGTERM the worker stops polling and lets in-flight activities finish for this long before
   * they are cancelled (and retried elsewhere): a rolling restart loses and repeats nothing.
   */
  protected shutdownGraceTime(): Duration {
    return '30s';
  }

  async onApplicationBootstrap(): Promise<void> {
    const config = this.connectionOptions();
    this.connection = await connectTemporalWorker(config);
    const options: Omit<WorkerOptions, 'connection' | 'namespace'> = { shutdownGraceTime: this.shutdownGraceTime(), ...this.workerOptions() };
    this.worker = await Worker.create({ ...options, connection: this.connection, namespace: config.TEMPORAL_NAMESPACE });
    this.running = this.worker.run().catch((err: unknown) => {
      this.logger.error(`Temporal worker stopped: ${err instanceof Error ? err.stack : String(err)}`);
      process.exitCode = 1;
      process.kill(process.pid, 'SIGTERM');
    });
    this.logger.log(`Temporal worker polling task queue "${options.taskQueue}" at ${describeTemporalConnection(config)}`);
  }

  /**
   * Drains first, while the database pool, the mail transport and the Temporal client are still
   * open (they close in onApplicationShutdown, which Nest runs after this hook), so an in-flight
   * activity finishes instead of failing half-done.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker?.getState() === 'RUNNING') this.worker.shutdown();
    await this.running;
    if (this.worker) this.logger.log('Temporal worker drained and stopped');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection?.close();
  }

  isRunning(): boolean {
    return this.worker?.getState() === 'RUNNING';
  }
}
