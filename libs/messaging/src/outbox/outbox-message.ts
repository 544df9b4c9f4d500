/** An integration event about to be written to the outbox. */
export interface OutboxMessage {
  id: string;
  type: string;
  version: number;
  routingKey: string;
  /** Its contract's `mustBeReceived`: if no queue takes it, it is parked rather than dropped. */
  mustBeReceived: boolean;
  payload: unknown;
  occurredAt: Date;
}
