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
 * compensated a payment. Up to `processConcurrency` runs at once, each claiming what is due then:
 * a payment requested while a run waits on the provider starts its own run instead of waiting
 * for that one to end (one run at a time made a capture wait 60-110 ms for a 20 ms provider at
 * 100 orders/s). A wake-up with every run busy, or a full batch, runs again as one ends. Safe
 * with many runs and replicas: claims are leased, so each due payment is taken by one of them.
 */
@Injectable()
export class PaymentProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PaymentProcessor.name);
  private timer: NodeJS.Timeout | null = null;
  private readonly running = new Set<Promise<void>>();
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
    await Promise.all(this.running);
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.running.size >= this.options.processConcurrency) {
      this.again = true;
      return;
    }
    this.again = false;
    const run: Promise<void> = this.runOnce().then((full) => {
      this.running.delete(run);
      if (full || this.again) this.wake();
    });
    this.running.add(run);
  }

  /** One claim and its payments; true when the batch was full (more may be due already). */
  private async runOnce(): Promise<boolean> {
    try {
      const claimed = await this.commands.execute<ProcessDuePaymentsCommand, number>(
        new ProcessDuePaymentsCommand(this.options.processBatch),
      );
      return claimed >= this.options.processBatch;
    } catch (error) {
      this.logger.warn(`payment processing failed: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }
}
