import { describe, expect, it } from '@jest/globals';
import { ValidationFailedError } from '@app/ddd';
import { Name } from './name.value-object.js';

describe('Name', () => {
  it('trims surrounding white space', () => {
    expect(Name.create('  Ada Lovelace \n').value).toBe('Ada Lovelace');
  });

  it('accepts 1 and 100 characters, counting code points', () => {
    expect(Name.create('A').value).toBe('A');
    expect(Name.create('é'.repeat(100)).value).toHaveLength(100);
    expect([...Name.create('😀'.repeat(100)).value]).toHaveLength(100);
  });

  it.each([
    ['empty', ''],
    ['only spaces', '    '],
    ['101 characters', 'x'.repeat(101)],
    ['a number', 7],
  ])('rejects %s', (_, raw) => {
    expect(() => Name.create(raw)).toThrow(ValidationFailedError);
  });
});
