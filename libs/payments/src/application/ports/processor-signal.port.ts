/**
 * Wakes the payment processor of this process once the current unit of work commits, so a
 * payment just requested (or compensated) does not wait for the next poll.
 */
export abstract class ProcessorSignal {
  abstract notifyAfterCommit(): void;
  abstract listen(listener: () => void): void;
}
