import { describe, expect, it } from '@jest/globals';
import { ValidationFailedError } from '@app/ddd';
import { Email } from './email.value-object.js';

describe('Email', () => {
  it('normalises to trimmed lower case, so addresses compare case-insensitively', () => {
    const email = Email.create('  Alice.Smith@Example.COM ');
    expect(email.value).toBe('alice.smith@example.com');
    expect(email.equals(Email.create('ALICE.SMITH@example.com'))).toBe(true);
  });

  it.each([
    ['no at sign', 'alice.example.com'],
    ['two at signs', 'a@b@example.com'],
    ['no domain dot', 'alice@localhost'],
    ['a space inside', 'al ice@example.com'],
    ['an empty label', 'alice@example..com'],
    ['empty', ''],
    ['too long', `${'a'.repeat(64)}@${'b'.repeat(190)}.com`],
    ['a local part over 64 characters', `${'a'.repeat(65)}@example.com`],
  ])('rejects %s', (_, raw) => {
    expect(() => Email.create(raw)).toThrow(ValidationFailedError);
  });

  it.each([[42], [null], [undefined], [{ email: 'a@b.co' }]])('rejects the non-string %p', (raw) => {
    expect(() => Email.create(raw)).toThrow(ValidationFailedError);
  });

  it('names the field in its error details', () => {
    try {
      Email.create('nope');
      throw new Error('expected a validation error');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationFailedError);
      expect((error as ValidationFailedError).code).toBe('VALIDATION_FAILED');
      expect((error as ValidationFailedError).details).toEqual({
        fields: [{ field: 'email', message: 'must be an email address' }],
      });
    }
  });
});
