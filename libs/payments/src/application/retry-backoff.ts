/**
 * When to ask the provider again after the `attempts`-th call failed: exponential from `baseMs`,
 * capped at `maxMs`, with full jitter in its upper half so failed payments do not retry in step.
 */
export function retryDelayMs(
  attempts: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
