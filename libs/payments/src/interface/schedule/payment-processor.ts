import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DependencyGate } from '@app/platform';
import {
  PAYMENTS_OPTIONS,
  ProcessDuePaymentsCommand,
  ProcessorSignal,
  type PaymentsOptions,
} from '../../application/index.js';

/**
 * Runs the payment processor on a timer, and at once when this process just requested or
 * compensated a payment. One run at a time per process; a wake-up during a run, or a full
 * batch, runs it again straight after. Safe with many replicas: claims are leased, so each due
 * payment is taken by one of them.
 */
@Injectable()
export class PaymentProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PaymentProcessor.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly commands: CommandBus,
    private readonly signal: ProcessorSignal,
    @Inject(PAYMENTS_OPTIONS) private readonly options: PaymentsOptions,
    private readonly gate: DependencyGate,
  ) {}

  /** Processes once the database is up (the start-up gate), not while the app still waits for it. */
  onApplicationBootstrap(): void {
    this.gate.whenOpen('payment processor', () => {
      this.signal.listen(() => this.wake());
      this.timer = setInterval(() => this.wake(), this.options.processIntervalMs);
      this.wake();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => (this.running = null));
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      try {
        const claimed = await this.commands.execute<ProcessDuePaymentsCommand, number>(
          new ProcessDuePaymentsCommand(this.options.processBatch),
        );
        if (claimed >= this.options.processBatch) this.again = true;
      } catch (error) {
        this.logger.warn(`payment processing failed: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
    } while (this.again && !this.stopped);
  }
}
