import { describe, expect, it } from '@jest/globals';
import { ValidationFailedError } from '@app/ddd';
import { Currency } from './currency.value-object.js';

describe('Currency', () => {
  it.each([['USD'], ['EUR'], ['JPY']])('accepts %s', (code) => {
    expect(Currency.create(code).value).toBe(code);
  });

  it('compares by code', () => {
    expect(Currency.create('EUR').equals(Currency.create('EUR'))).toBe(true);
    expect(Currency.create('EUR').equals(Currency.create('USD'))).toBe(false);
  });

  it.each([
    ['lower case', 'usd'],
    ['mixed case', 'Usd'],
    ['two letters', 'US'],
    ['four letters', 'USDD'],
    ['empty', ''],
    ['surrounding spaces', ' USD '],
    ['a digit', 'US1'],
    ['a symbol', 'U$D'],
  ])('rejects %s', (_, raw) => {
    expect(() => Currency.create(raw)).toThrow(ValidationFailedError);
  });

  it.each([[840], [null], [undefined], [{ code: 'USD' }], [['USD']]])('rejects the non-string %p', (raw) => {
    expect(() => Currency.create(raw)).toThrow(ValidationFailedError);
  });

  it.each([['ABC'], ['XXY'], ['QQQ']])('rejects %s, well formed but not a known ISO 4217 code', (code) => {
    try {
      Currency.create(code);
      throw new Error('expected a validation error');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationFailedError);
      expect((error as ValidationFailedError).details).toEqual({
        fields: [{ field: 'currency', message: 'must be a supported ISO 4217 currency code' }],
      });
    }
  });
});
