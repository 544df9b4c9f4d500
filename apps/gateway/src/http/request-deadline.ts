import { AsyncLocalStorage } from 'node:async_hooks';

/** When the HTTP request being served arrived: its calls to the services share one deadline from then. */
const arrivals = new AsyncLocalStorage<number>();

export function runWithArrival<T>(receivedAt: number, fn: () => T): T {
  return arrivals.run(receivedAt, fn);
}

/**
 * What is left of `budgetMs` for the current request's next call, in whole milliseconds (an AMQP
 * expiration must be an integer), at least 1: a call past the deadline times out at once, 504.
 * The whole budget outside a request.
 */
export function remainingOf(budgetMs: number, now: number = Date.now()): number {
  const receivedAt = arrivals.getStore();
  return receivedAt === undefined ? budgetMs : Math.max(1, Math.floor(budgetMs - (now - receivedAt)));
}
