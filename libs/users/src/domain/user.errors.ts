import { DomainError } from '@app/ddd';

export class EmailTakenError extends DomainError {
  readonly code = 'EMAIL_TAKEN';
  constructor() {
    super('a user with this email already exists');
  }
}

export class UserNotFoundError extends DomainError {
  readonly code = 'USER_NOT_FOUND';
  constructor(userId: string) {
    super(`user ${userId} does not exist`);
  }
}

/** Same error for an unknown email and a wrong password, so neither can be probed. */
export class InvalidCredentialsError extends DomainError {
  readonly code = 'INVALID_CREDENTIALS';
  constructor() {
    super('email or password is wrong');
  }
}

/** Unknown, expired, revoked or reused: the caller must log in again. */
export class InvalidRefreshTokenError extends DomainError {
  readonly code = 'INVALID_REFRESH_TOKEN';
  constructor() {
    super('the refresh token is invalid, expired or revoked');
  }
}

export class AccessDeniedError extends DomainError {
  readonly code = 'FORBIDDEN';
  constructor() {
    super('you may not access this user');
  }
}
