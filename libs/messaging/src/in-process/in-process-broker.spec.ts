import { describe, expect, it } from '@jest/globals';
import { InProcessBroker } from './in-process-broker.js';

const message = { body: '{}', headers: {}, messageId: 'm-1' };

describe('InProcessBroker.publish with no consumer bound', () => {
  it('reports an event some context must receive as unroutable, so the relay parks it', async () => {
    const broker = new InProcessBroker();
    await expect(broker.publish('orders.order-placed.v1', message, 1)).resolves.toEqual({
      status: 'unroutable',
      reason: 'no consumer is bound to orders.order-placed.v1',
    });
  });

  it('drops news nobody has to receive, as a topic exchange does', async () => {
    const broker = new InProcessBroker();
    await expect(broker.publish('users.user-registered.v1', message, 1, false)).resolves.toEqual({
      status: 'delivered',
    });
  });
});
