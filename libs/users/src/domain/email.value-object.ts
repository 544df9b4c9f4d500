import { EMAIL_LOCAL_PART_MAX_LENGTH as MAX_LOCAL_LENGTH, EMAIL_MAX_LENGTH as MAX_LENGTH } from '@app/contracts';
import { ValidationFailedError } from '@app/ddd';

// Pragmatic, not RFC 5322: one @, no spaces, a dot in the domain, no empty labels.
const SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** An email address, trimmed and lower-cased, so uniqueness is case-insensitive by construction. */
export class Email {
  private constructor(readonly value: string) {}

  static create(raw: unknown): Email {
    if (typeof raw !== 'string') throw invalid('must be a string');
    const value = raw.trim().toLowerCase();
    if (value.length > MAX_LENGTH) throw invalid(`must be at most ${MAX_LENGTH} characters`);
    if (!SHAPE.test(value)) throw invalid('must be an email address');
    if (value.indexOf('@') > MAX_LOCAL_LENGTH)
      throw invalid(`local part must be at most ${MAX_LOCAL_LENGTH} characters`);
    return new Email(value);
  }

  equals(other: Email): boolean {
    return this.value === other.value;
  }
}

function invalid(reason: string): ValidationFailedError {
  return new ValidationFailedError(`email ${reason}`, { fields: [{ field: 'email', message: reason }] });
}
