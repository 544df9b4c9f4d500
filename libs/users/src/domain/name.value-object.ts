import { NAME_MAX_LENGTH as MAX_LENGTH } from '@app/contracts';
import { ValidationFailedError } from '@app/ddd';

/** A display name: trimmed, 1 to 100 characters (code points, not UTF-16 units). */
export class Name {
  private constructor(readonly value: string) {}

  static create(raw: unknown): Name {
    if (typeof raw !== 'string') throw invalid('must be a string');
    const value = raw.trim();
    const length = [...value].length;
    if (length < 1 || length > MAX_LENGTH) throw invalid(`must be 1 to ${MAX_LENGTH} characters`);
    return new Name(value);
  }

  equals(other: Name): boolean {
    return this.value === other.value;
  }
}

function invalid(reason: string): ValidationFailedError {
  return new ValidationFailedError(`name ${reason}`, { fields: [{ field: 'name', message: reason }] });
}
