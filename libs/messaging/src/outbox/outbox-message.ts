/** An integration event about to be written to the outbox. */
export interface OutboxMessage {
  id: string;
  type: string;
  version: number;
  routingKey: string;
  payload: unknown;
  occurredAt: Date;
}
