export * from './config';
export * from './transport';
export * from './rpc';
export * from './temporal-worker.host';
export * from './bootstrap';
export * from './healthcheck';
export * from './logging';
export * from './migrations';
