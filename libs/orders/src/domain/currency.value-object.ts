import { CURRENCY_PATTERN, CURRENCY_RULE } from '@app/contracts';
import { ValidationFailedError } from '@app/ddd';

// Computed once: the ISO 4217 codes this runtime's ICU knows.
const SUPPORTED = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 currency code, exactly as written (`USD`, never `usd`). */
export class Currency {
  private constructor(readonly value: string) {}

  static create(raw: unknown): Currency {
    if (typeof raw !== 'string') throw invalid('must be a string');
    if (!CURRENCY_PATTERN.test(raw)) throw invalid(CURRENCY_RULE);
    if (!SUPPORTED.has(raw)) throw invalid('must be a supported ISO 4217 currency code');
    return new Currency(raw);
  }

  equals(other: Currency): boolean {
    return this.value === other.value;
  }
}

function invalid(reason: string): ValidationFailedError {
  return new ValidationFailedError(`currency ${reason}`, { fields: [{ field: 'currency', message: reason }] });
}
