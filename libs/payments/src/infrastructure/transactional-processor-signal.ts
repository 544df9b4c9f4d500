import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@app/platform';
import type { ProcessorSignal } from '../application/index.js';

/** Wakes this process's payment processor once the current transaction commits (at once outside one). */
@Injectable()
export class TransactionalProcessorSignal implements ProcessorSignal {
  private listener: (() => void) | null = null;

  constructor(private readonly transactions: TransactionRunner) {}

  notifyAfterCommit(): void {
    this.transactions.afterCommit(() => this.listener?.());
  }

  listen(listener: () => void): void {
    this.listener = listener;
  }
}
