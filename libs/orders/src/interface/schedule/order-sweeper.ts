import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DependencyGate } from '@app/platform';
import {
  ExpirePendingOrdersCommand,
  ORDERS_OPTIONS,
  PurgeIdempotencyKeysCommand,
  type OrdersOptions,
} from '../../application/index.js';

const PURGE_EVERY_MS = 10 * 60_000;

/**
 * Runs the saga's timeout (and the purge of old idempotency keys) on a timer. Safe with many
 * replicas: a timed-out order is expired by whichever gets there first, the others see a
 * version conflict and leave it.
 */
@Injectable()
export class OrderSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OrderSweeper.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastPurge = 0;

  constructor(
    private readonly commands: CommandBus,
    @Inject(ORDERS_OPTIONS) private readonly options: OrdersOptions,
    private readonly gate: DependencyGate,
  ) {}

  /** Sweeps once the database is up (the start-up gate), not while the app still waits for it. */
  onApplicationBootstrap(): void {
    this.gate.whenOpen('order sweeper', () => {
      this.timer = setInterval(() => {
        this.running ??= this.sweep().finally(() => (this.running = null));
      }, this.options.sweepIntervalMs);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async sweep(): Promise<void> {
    try {
      const expired = await this.commands.execute<ExpirePendingOrdersCommand, number>(
        new ExpirePendingOrdersCommand(this.options.sagaTimeoutMs),
      );
      if (expired > 0)
        this.logger.warn(`${expired} order(s) rejected: no credit or payment answer in time (SAGA_TIMEOUT)`);
      if (Date.now() - this.lastPurge > PURGE_EVERY_MS) {
        this.lastPurge = Date.now();
        await this.commands.execute(new PurgeIdempotencyKeysCommand(this.options.idempotencyKeyTtlMs));
      }
    } catch (error) {
      this.logger.warn(`order sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
