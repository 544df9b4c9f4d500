import type { DomainEvent } from './domain-event.js';

/**
 * Consistency boundary. State changes only through intention-named methods, which record
 * domain events; the repository saves the state and the pulled events in one transaction.
 * `version` is the optimistic-lock counter as loaded (0 for a new aggregate).
 */
export abstract class AggregateRoot<TId extends string = string> {
  private pendingEvents: DomainEvent[] = [];

  protected constructor(
    readonly id: TId,
    private loadedVersion: number,
  ) {}

  get version(): number {
    return this.loadedVersion;
  }

  get isNew(): boolean {
    return this.loadedVersion === 0;
  }

  protected record(event: DomainEvent): void {
    this.pendingEvents.push(event);
  }

  /** Events recorded since the last successful save, oldest first. */
  get uncommittedEvents(): readonly DomainEvent[] {
    return this.pendingEvents;
  }

  /**
   * Called by the repository once the new state and its events are committed. Until then the
   * events stay, so a save that failed can be retried without losing them.
   */
  markPersisted(version: number): void {
    this.loadedVersion = version;
    this.pendingEvents = [];
  }
}
