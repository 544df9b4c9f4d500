import 'reflect-metadata';
import { startService } from '@app/messaging';
import { UsersAppModule } from './users-app.module.js';
import { USERS_HOST } from './users.host.js';

startService(UsersAppModule, USERS_HOST);
