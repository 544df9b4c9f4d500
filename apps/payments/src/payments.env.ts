import { IsNumber, IsString, Max, Min } from 'class-validator';
import { Transform } from 'class-transformer';
import { EnvInt, ServiceEnv } from '@app/platform';

export class PaymentsEnv extends ServiceEnv {
  /** Port of /health and /metrics; the API itself is reached over RabbitMQ or gRPC (RPC_TRANSPORT). */
  @EnvInt(1, 65_535)
  PAYMENTS_HTTP_PORT = 3003;

  /** Port of the gRPC service `payment.PaymentService`, with RPC_TRANSPORT=grpc. */
  @EnvInt(1, 65_535)
  PAYMENTS_GRPC_PORT = 50_053;

  @IsString()
  PAYMENTS_DB_NAME = 'payments';

  /** How often due payments are looked for (the processor is also woken after each request). */
  @EnvInt(10, 600_000)
  PAYMENTS_PROCESS_INTERVAL_MS = 100;

  /** At most this many payments per processor run. */
  @EnvInt(1, 1000)
  PAYMENTS_PROCESS_BATCH = 50;

  /** Processor runs at once per process (each claims its own due payments). */
  @EnvInt(1, 64)
  PAYMENTS_PROCESS_CONCURRENCY = 4;

  /** The simulated provider's time between recording a call and answering it. */
  @EnvInt(0, 60_000)
  PAYMENT_PROVIDER_LATENCY_MS = 20;

  /** Share of provider calls (0..1) that fail transiently: half before recording, half after. */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value,
  )
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  PAYMENT_PROVIDER_FAILURE_RATE = 0;

  /** A charge above this many cents is declined (AMOUNT_OVER_LIMIT). */
  @EnvInt(0, Number.MAX_SAFE_INTEGER)
  PAYMENT_PROVIDER_DECLINE_ABOVE_CENTS = 1_000_000;

  /** A customer's net captured total may not exceed this (CUSTOMER_LIMIT_EXCEEDED); 0: no limit. */
  @EnvInt(0, Number.MAX_SAFE_INTEGER)
  PAYMENT_PROVIDER_CUSTOMER_LIMIT_CENTS = 0;

  /** Our deadline per provider call; a call past it counts as a transient failure. */
  @EnvInt(10, 60_000)
  PAYMENT_PROVIDER_TIMEOUT_MS = 2000;
}
