export * from './task-queues';
export * from './role-request';
export * from './nomination';
export * from './access-review';
export * from './activities';
export * from './access-removal';
export * from './account-email';
export * from './failures';
