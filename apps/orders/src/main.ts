import 'reflect-metadata';
import { serviceInfrastructure, startService } from '@app/messaging/host';
import { OrdersAppModule } from './orders-app.module.js';
import { ORDERS_HOST } from './orders.host.js';

startService(OrdersAppModule.on(serviceInfrastructure), ORDERS_HOST);
