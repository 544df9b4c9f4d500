/**
 * The envelope of every integration event on the `events` exchange. The routing key is
 * `<context>.<event-name>.v<version>`; the payload's shape is fixed per type and version.
 */
export interface IntegrationEvent<TPayload = unknown> {
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  correlationId: string | null;
  causationId: string | null;
  payload: TPayload;
}
