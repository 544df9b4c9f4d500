import { HttpException, HttpStatus } from '@nestjs/common';

/** Too many requests: answered 429 with Retry-After. */
export class RateLimitedError extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    readonly limit: string,
  ) {
    super(`rate limit "${limit}" exceeded, retry in ${retryAfterSeconds} s`, HttpStatus.TOO_MANY_REQUESTS);
  }
}
