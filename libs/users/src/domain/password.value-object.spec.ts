import { describe, expect, it } from '@jest/globals';
import { ValidationFailedError } from '@app/ddd';
import { Password, PasswordHash } from './password.value-object.js';

describe('Password', () => {
  it('accepts 8 to 128 characters as given, without trimming', () => {
    expect(Password.create(' 1234567').value).toBe(' 1234567');
    expect(Password.create('p'.repeat(128)).value).toHaveLength(128);
  });

  it.each([
    ['7 characters', '1234567'],
    ['129 characters', 'p'.repeat(129)],
    ['a number', 12345678],
  ])('rejects %s', (_, raw) => {
    expect(() => Password.create(raw)).toThrow(ValidationFailedError);
  });
});

describe('PasswordHash', () => {
  it('keeps only argon2id hashes', () => {
    expect(PasswordHash.fromHash('$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA').value).toMatch(/^\$argon2id\$/);
    expect(() => PasswordHash.fromHash('$2b$10$bcrypthash')).toThrow();
  });
});
