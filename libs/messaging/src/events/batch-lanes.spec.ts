import { describe, expect, it } from '@jest/globals';
import { InFlight } from '../in-flight.js';
import { BatchLanes } from './batch-lanes.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('BatchLanes', () => {
  it('handles the items of one key one batch at a time, in arrival order', async () => {
    const inFlight = new InFlight();
    const batches: number[][] = [];
    let running = 0;
    let overlapped = false;
    const lanes = new BatchLanes<number>(4, 3, inFlight, async (batch) => {
      running += 1;
      overlapped ||= running > 1;
      batches.push(batch);
      await tick();
      running -= 1;
    });
    for (let i = 1; i <= 5; i += 1) lanes.push('user-1', i);
    await tick();
    for (let i = 6; i <= 7; i += 1) lanes.push('user-1', i);
    await inFlight.settled();
    await tick();
    await inFlight.settled();
    expect(overlapped).toBe(false);
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(3);
    expect(batches[0]).toEqual([1, 2, 3]);
  });

  it('runs different lanes at the same time', async () => {
    const inFlight = new InFlight();
    let running = 0;
    let most = 0;
    const lanes = new BatchLanes<string>(8, 10, inFlight, async () => {
      running += 1;
      most = Math.max(most, running);
      await tick();
      running -= 1;
    });
    for (let i = 0; i < 40; i += 1) lanes.push(`key-${i}`, `item-${i}`);
    await tick();
    await inFlight.settled();
    expect(most).toBeGreaterThan(1);
  });

  it('sends every item once', async () => {
    const inFlight = new InFlight();
    const seen: number[] = [];
    const lanes = new BatchLanes<number>(3, 4, inFlight, async (batch) => {
      seen.push(...batch);
      await tick();
    });
    for (let i = 0; i < 50; i += 1) lanes.push(String(i % 7), i);
    for (let round = 0; round < 20 && seen.length < 50; round += 1) {
      await tick();
      await inFlight.settled();
    }
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
