import { integrationEventSchema, type IntegrationEvent } from '@app/contracts';
import type { DeadLetterReason } from '@app/platform';
import type { EventSubscription } from './event-subscription.js';

/** A message that can never succeed: it is dead-lettered at once, never retried. */
export class PoisonMessageError extends Error {
  constructor(
    message: string,
    readonly reason: DeadLetterReason = 'invalid',
  ) {
    super(message);
  }
}

/**
 * The subscription a message is for and the event it carries, checked against the contract
 * (envelope, type and version, payload schema); throws PoisonMessageError otherwise. Every
 * transport's consumer goes through here, so both shapes accept and refuse the same messages.
 */
export function parseEvent(
  subscriptions: ReadonlyMap<string, EventSubscription>,
  routingKey: string,
  body: Buffer | string,
): [EventSubscription, IntegrationEvent] {
  const subscription = subscriptions.get(routingKey);
  if (!subscription) throw new PoisonMessageError(`no handler for routing key "${routingKey}"`, 'no_handler');
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new PoisonMessageError('body is not JSON');
  }
  const envelope = integrationEventSchema.safeParse(json);
  if (!envelope.success) throw new PoisonMessageError(`invalid envelope: ${summarise(envelope.error.issues)}`);
  const { type, version } = subscription.event;
  if (envelope.data.type !== type || envelope.data.version !== version) {
    throw new PoisonMessageError(`expected ${type} v${version}, got ${envelope.data.type} v${envelope.data.version}`);
  }
  const payload = subscription.event.schema.safeParse(envelope.data.payload);
  if (!payload.success) throw new PoisonMessageError(`invalid payload: ${summarise(payload.error.issues)}`);
  return [subscription, { ...envelope.data, payload: payload.data }];
}

/** A consumer's subscriptions, looked up by the routing key a message arrives with. */
export function subscriptionsByRoutingKey(subscriptions: EventSubscription[]): Map<string, EventSubscription> {
  return new Map(subscriptions.map((s) => [s.event.routingKey, s]));
}

function summarise(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
