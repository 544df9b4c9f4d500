import { describe, expect, it } from '@jest/globals';
import { inMemoryOrdersPorts } from '../../testing/in-memory-orders-ports.js';
import { aStoredOrder, owner } from '../../testing/order-fixtures.js';
import { toOrderResponse } from '../../order-response.mapper.js';
import { PurgeIdempotencyKeysCommand } from './purge-idempotency-keys.command.js';
import { PurgeIdempotencyKeysHandler } from './purge-idempotency-keys.handler.js';

const DAY_MS = 24 * 60 * 60_000;

describe('PurgeIdempotencyKeysHandler', () => {
  it('forgets first answers older than the retention and keeps the younger ones', async () => {
    const { keys, unitOfWork } = inMemoryOrdersPorts();
    const answer = { requestHash: 'h', response: toOrderResponse(aStoredOrder()) };
    const claimAt = async (key: string, ageMs: number) => {
      keys.now = () => new Date(Date.now() - ageMs);
      await unitOfWork.run(() => keys.claim(owner.id, key, answer));
    };
    await claimAt('two-days-old', 2 * DAY_MS);
    await claimAt('day-and-a-bit-old', DAY_MS + 60_000);
    await claimAt('an-hour-old', 60 * 60_000);

    expect(await new PurgeIdempotencyKeysHandler(keys).execute(new PurgeIdempotencyKeysCommand(DAY_MS))).toBe(2);

    expect(keys.answer(owner.id, 'two-days-old')).toBeUndefined();
    expect(keys.answer(owner.id, 'day-and-a-bit-old')).toBeUndefined();
    expect(keys.answer(owner.id, 'an-hour-old')).toEqual(answer);
  });
});
