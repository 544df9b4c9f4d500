import { Injectable } from '@nestjs/common';

/** Tells the relay, in process, that committed outbox rows are waiting. */
@Injectable()
export class OutboxSignal {
  private listener: (() => void) | null = null;

  listen(listener: () => void): void {
    this.listener = listener;
  }

  notify(): void {
    this.listener?.();
  }
}
