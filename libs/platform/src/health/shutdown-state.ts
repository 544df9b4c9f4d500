import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

/** Flips when shutdown begins, so readiness answers 503 before connections close. */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  private shuttingDown = false;

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Readiness answers 503 from now on. The signal handler calls it first, before anything closes. */
  begin(): void {
    this.shuttingDown = true;
  }

  beforeApplicationShutdown(): void {
    this.begin();
  }
}
