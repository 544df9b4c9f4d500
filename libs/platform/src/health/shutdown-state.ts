import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

/** Flips when shutdown begins, so readiness answers 503 before connections close. */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  private shuttingDown = false;

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }
}
