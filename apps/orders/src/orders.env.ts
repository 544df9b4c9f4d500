import { IsString } from 'class-validator';
import { DatabaseEnv, EnvInt } from '@app/platform';

export class OrdersEnv extends DatabaseEnv {
  /** Port of /health and /metrics; the API itself is reached over RabbitMQ. */
  @EnvInt(1, 65_535)
  ORDERS_HTTP_PORT = 3002;

  @IsString()
  ORDERS_DB_NAME = 'orders';
}
