import 'reflect-metadata';
import { serviceInfrastructure, startService } from '@app/messaging/host';
import { UsersAppModule } from './users-app.module.js';
import { USERS_HOST } from './users.host.js';

startService(UsersAppModule.on(serviceInfrastructure), USERS_HOST);
