export * from './users.module.js';
export { EnsureAdminCommand } from './application/commands/ensure-admin/ensure-admin.command.js';
export { usersEntities, usersMigrations } from './infrastructure/users.schema.js';
