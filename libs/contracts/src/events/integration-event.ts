import { z } from 'zod';

/**
 * The envelope of every integration event on the `events` exchange. The routing key is
 * `<context>.<event-name>.v<version>`; the payload's shape is fixed per type and version and
 * checked at runtime by the consumer (a message that does not match is dead-lettered).
 */
export const integrationEventSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1).max(100),
  version: z.number().int().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  correlationId: z.string().max(128).nullable(),
  causationId: z.string().max(128).nullable(),
  payload: z.unknown(),
});

export interface IntegrationEvent<TPayload = unknown> {
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  correlationId: string | null;
  causationId: string | null;
  payload: TPayload;
}

/** What identifies one version of one event and its payload schema. */
export interface EventDefinition<TPayload> {
  type: string;
  version: number;
  routingKey: string;
  schema: z.ZodType<TPayload>;
  /**
   * True (the default) when some context must receive it: the saga's steps. Published so that
   * an event no queue is bound for comes back to its producer, which parks it instead of losing
   * it. False for news nobody may subscribe to yet (a registration, a profile change): those
   * are fanned out to whoever listens, as a topic exchange does.
   */
  mustBeReceived: boolean;
}

export function defineEvent<TPayload>(
  context: string,
  type: string,
  version: number,
  schema: z.ZodType<TPayload>,
  options: { mustBeReceived?: boolean } = {},
): EventDefinition<TPayload> {
  const kebab = type.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  return {
    type,
    version,
    routingKey: `${context}.${kebab}.v${version}`,
    schema,
    mustBeReceived: options.mustBeReceived ?? true,
  };
}
