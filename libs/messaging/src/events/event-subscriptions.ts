import { Injectable } from '@nestjs/common';
import type { EventSubscription } from './event-subscription.js';

/**
 * Where a context declares the integration events it consumes (from its interface layer,
 * at module init); the host's transport consumes them. The context never sees the broker.
 */
@Injectable()
export class EventSubscriptions {
  private readonly subscriptions: EventSubscription[] = [];

  add(...subscriptions: EventSubscription[]): void {
    for (const subscription of subscriptions) {
      if (this.subscriptions.some((s) => s.event.routingKey === subscription.event.routingKey)) {
        throw new Error(`two handlers for ${subscription.event.routingKey}`);
      }
      this.subscriptions.push(subscription);
    }
  }

  all(): EventSubscription[] {
    return [...this.subscriptions];
  }
}
