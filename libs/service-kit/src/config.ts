import { z } from 'zod';

/**
 * Reads and validates the environment once, at startup. Every invalid variable is listed at
 * once, so an operator fixes them in one go; nothing else in a service reads process.env.
 */
export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<S>> {
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Shared variable shapes, so every service spells and defaults them alike. */
export const env = {
  host: (dflt: string) => z.string().min(1).default(dflt),
  port: (dflt: number) => z.coerce.number().int().min(0).max(65535).default(dflt),
  positiveInt: (dflt: number) => z.coerce.number().int().positive().default(dflt),
  url: () => z.string().url(),
  optionalString: () => z.string().min(1).optional(),
  string: (dflt: string) => z.string().default(dflt),
};

/** Where each service listens for @nestjs/microservices TCP messages, and where Temporal is. */
export const commonShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  TEMPORAL_ADDRESS: env.host('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: env.host('default'),
  /** Prefixes every task queue, so parallel stacks (and tests) can share one Temporal server. */
  TASK_QUEUE_PREFIX: env.string(''),
  /** The @nestjs/microservices transport between the services: TCP, or a NATS cluster for several instances. */
  TRANSPORT: z.enum(['tcp', 'nats']).default('tcp'),
  NATS_URL: z.string().regex(/^nats:\/\//, 'must be a nats:// URL (several: comma-separated)').default('nats://127.0.0.1:4222'),
  DIRECTORY_HOST: env.host('127.0.0.1'),
  DIRECTORY_PORT: env.port(4001),
  ACCESS_WORKFLOWS_HOST: env.host('127.0.0.1'),
  ACCESS_WORKFLOWS_PORT: env.port(4002),
  NOTIFICATIONS_HOST: env.host('127.0.0.1'),
  NOTIFICATIONS_PORT: env.port(4003),
};
export type CommonConfig = z.infer<z.ZodObject<typeof commonShape>>;
