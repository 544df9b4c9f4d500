import { PASSWORD_MAX_LENGTH as MAX_LENGTH, PASSWORD_MIN_LENGTH as MIN_LENGTH } from '@app/contracts';
import { ValidationFailedError } from '@app/ddd';

/** A plain password as chosen by a user; exists only long enough to be hashed. */
export class Password {
  private constructor(readonly value: string) {}

  static create(raw: unknown): Password {
    if (typeof raw !== 'string') throw invalid('must be a string');
    const length = [...raw].length;
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      throw invalid(`must be ${MIN_LENGTH} to ${MAX_LENGTH} characters`);
    }
    return new Password(raw);
  }
}

function invalid(reason: string): ValidationFailedError {
  return new ValidationFailedError(`password ${reason}`, { fields: [{ field: 'password', message: reason }] });
}

/** An argon2id hash in PHC string form; the only form in which a password is kept. */
export class PasswordHash {
  private constructor(readonly value: string) {}

  static fromHash(hash: string): PasswordHash {
    if (!hash.startsWith('$argon2id$')) throw new Error('password hash must be argon2id');
    return new PasswordHash(hash);
  }
}
