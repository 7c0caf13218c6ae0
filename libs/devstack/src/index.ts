export * from './paths';
export * from './process';
export * from './temporal';
export * from './database';
export * from './mail';
export * from './services';
export * from './totp';
export * from './nats';
