import type { RpcErrorBody } from '@app/contracts';

/** The service answered with an error (a domain rule, validation, authorisation). */
export class RpcRemoteError extends Error {
  constructor(readonly body: RpcErrorBody) {
    super(body.message);
    this.name = RpcRemoteError.name;
  }
}

/** No answer within the deadline: the service is slow, stuck or not consuming. */
export class RpcTimeoutError extends Error {
  constructor(
    readonly pattern: string,
    readonly timeoutMs: number,
  ) {
    super(`${pattern} got no reply within ${timeoutMs} ms`);
    this.name = RpcTimeoutError.name;
  }
}

/** The request could not be sent: broker connection down, or no queue for that service. */
export class RpcUnavailableError extends Error {
  constructor(
    readonly target: string,
    reason: string,
  ) {
    super(`${target} is unavailable: ${reason}`);
    this.name = RpcUnavailableError.name;
  }
}
