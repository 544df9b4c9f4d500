import 'reflect-metadata';
import { serviceInfrastructure, startService } from '@app/messaging/host';
import { PaymentsAppModule } from './payments-app.module.js';
import { PAYMENTS_HOST } from './payments.host.js';

startService(PaymentsAppModule.on(serviceInfrastructure), PAYMENTS_HOST);
