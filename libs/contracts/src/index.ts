export * from './domain';
export * from './errors';
export * from './manage-access';
export * from './messages';
export * from './patterns';
export * from './statement-of-truth';
export * from './api-keys';
export * from './notifications';
