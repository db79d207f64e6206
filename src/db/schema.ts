export * from '../modules/identity/identity.schema.ts';
export * from '../modules/access/access.schema.ts';
export * from '../modules/audit/audit.schema.ts';
export * from '../modules/notifications/notifications.schema.ts';
