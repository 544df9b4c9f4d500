import { describe, expect, it } from '@jest/globals';
import { LiveConfigRefusedError, parseLiveConfig } from './parse-live-config.js';

function reasonsFor(text: string): string[] {
  try {
    parseLiveConfig(text);
  } catch (error) {
    expect(error).toBeInstanceOf(LiveConfigRefusedError);
    return (error as LiveConfigRefusedError).reasons;
  }
  throw new Error(`expected ${text} to be refused`);
}

describe('parseLiveConfig', () => {
  it('takes whitelisted settings as written, and the version the file gives', () => {
    const file = parseLiveConfig('{"version":"2026-12-04.2","LOG_LEVEL":"debug","RATE_LIMIT_IP_PER_MINUTE":50}');
    expect(file).toEqual({ version: '2026-12-04.2', settings: { LOG_LEVEL: 'debug', RATE_LIMIT_IP_PER_MINUTE: 50 } });
  });

  it('versions a file without a version by its content: same content, same version', () => {
    const a = parseLiveConfig('{"LOG_LEVEL":"warn"}');
    expect(a.version).toMatch(/^[0-9a-f]{12}$/);
    expect(parseLiveConfig('{"LOG_LEVEL":"warn"}').version).toBe(a.version);
    expect(parseLiveConfig('{"LOG_LEVEL":"info"}').version).not.toBe(a.version);
  });

  it('refuses a key no app takes live, saying it needs a restart', () => {
    expect(reasonsFor('{"DB_POOL_SIZE":20,"LOG_LEVEL":"info"}')).toEqual([
      'DB_POOL_SIZE: not a live setting (it needs a restart, or is misspelt)',
    ]);
  });

  it('names every problem at once', () => {
    expect(reasonsFor('{"version":"","RATE_LIMIT_IP":1,"LOG_LEVEL":{"nested":true}}')).toEqual([
      'version: must be 1-64 characters of letters, digits and "._:+-"',
      'RATE_LIMIT_IP: not a live setting (it needs a restart, or is misspelt)',
      'LOG_LEVEL: must be a number, a boolean or a string',
    ]);
  });

  it.each([
    ['broken JSON', '{"LOG_LEVEL": "info",', /^not valid JSON: /],
    ['an array', '[]', /^not a JSON object of settings$/],
    ['a bare value', '42', /^not a JSON object of settings$/],
    ['null', 'null', /^not a JSON object of settings$/],
  ])('refuses %s', (_, text, reason) => {
    const reasons = reasonsFor(text);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(reason);
  });
});
