export * from './email.value-object.js';
export * from './name.value-object.js';
export * from './password.value-object.js';
export * from './user-role.js';
export * from './user.aggregate.js';
export * from './user.errors.js';
export * from './user-registered.domain-event.js';
export * from './user-profile-updated.domain-event.js';
