import { IsString } from 'class-validator';
import { EnvInt, ServiceEnv } from '@app/platform';

export class OrdersEnv extends ServiceEnv {
  /** Port of /health and /metrics; the API itself is reached over RabbitMQ or gRPC (RPC_TRANSPORT). */
  @EnvInt(1, 65_535)
  ORDERS_HTTP_PORT = 3002;

  /** Port of the gRPC service `order.OrderService`, with RPC_TRANSPORT=grpc. */
  @EnvInt(1, 65_535)
  ORDERS_GRPC_PORT = 50_052;

  @IsString()
  ORDERS_DB_NAME = 'orders';

  /** A PENDING order without its credit and payment answers after this long is rejected (SAGA_TIMEOUT). */
  @EnvInt(100, 86_400_000)
  ORDER_SAGA_TIMEOUT_MS = 30_000;

  /** How often timed-out orders are looked for. */
  @EnvInt(50, 600_000)
  ORDER_SWEEP_INTERVAL_MS = 1000;

  /** How long first answers to Idempotency-Keys are kept; at least a day. */
  @EnvInt(24, 24 * 365)
  IDEMPOTENCY_KEY_TTL_HOURS = 24;
}
