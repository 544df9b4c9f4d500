import 'reflect-metadata';
import { startService } from '@app/messaging';
import { OrdersAppModule } from './orders-app.module.js';
import { ORDERS_HOST } from './orders.host.js';

startService(OrdersAppModule, ORDERS_HOST);
