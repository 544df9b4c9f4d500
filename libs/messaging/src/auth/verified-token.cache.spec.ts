import { describe, expect, it } from '@jest/globals';
import { VerifiedTokenCache } from './verified-token.cache.js';

const actor = { id: '0b7e0d5e-2a51-4c3f-9d0c-7c7c6b1f4e11', role: 'user' as const };

describe('VerifiedTokenCache', () => {
  it('answers a verified token until it expires, then forgets it', () => {
    const cache = new VerifiedTokenCache();
    cache.set('t1', actor, 1_000);
    expect(cache.get('t1', 999)).toEqual(actor);
    expect(cache.get('t1', 1_000)).toBeUndefined();
    expect(cache.get('t1', 500)).toBeUndefined(); // forgotten, not just hidden
  });

  it('knows nothing of a token it was not given', () => {
    expect(new VerifiedTokenCache().get('never-seen', 0)).toBeUndefined();
  });

  it('drops the oldest entry beyond its capacity', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('a', actor, 10);
    cache.set('b', actor, 10);
    cache.set('c', actor, 10);
    expect(cache.get('a', 0)).toBeUndefined();
    expect(cache.get('b', 0)).toEqual(actor);
    expect(cache.get('c', 0)).toEqual(actor);
  });
});
