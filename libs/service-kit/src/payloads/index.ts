export { messageSchema } from './fields';
export * from './role-requests';
export * from './nominations';
export * from './directory';
export * from './access-workflows';
export * from './examples';
export * from './notifications';
export * from './testing';
export * from './access-reviews';
