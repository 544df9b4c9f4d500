import { ValidationFailedError } from '@app/ddd';

const SHAPE = /^[A-Z]{3}$/;
// Computed once: the ISO 4217 codes this runtime's ICU knows.
const SUPPORTED = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 currency code, exactly as written (`USD`, never `usd`). */
export class Currency {
  private constructor(readonly value: string) {}

  static create(raw: unknown): Currency {
    if (typeof raw !== 'string') throw invalid('must be a string');
    if (!SHAPE.test(raw)) throw invalid('must be 3 upper-case letters (ISO 4217)');
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
