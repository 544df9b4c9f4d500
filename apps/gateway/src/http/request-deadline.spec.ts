import { describe, expect, it } from '@jest/globals';
import { remainingOf, runWithArrival } from './request-deadline.js';

describe('a request deadline', () => {
  it('gives a call what is left of the budget since the request arrived', () => {
    expect(runWithArrival(1000, () => remainingOf(5000, 1800))).toBe(4200);
  });

  it('counts whole milliseconds: the arrival comes from a sub-millisecond clock', () => {
    expect(runWithArrival(1000.25, () => remainingOf(5000, 1800))).toBe(4200);
  });

  it('gives a call past the deadline 1 ms, so it times out at once', () => {
    expect(runWithArrival(1000, () => remainingOf(5000, 9000))).toBe(1);
  });

  it('gives the whole budget outside a request', () => {
    expect(remainingOf(5000, 123)).toBe(5000);
  });
});
