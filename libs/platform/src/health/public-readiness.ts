import type { HealthCheckResult, HealthIndicatorResult } from '@nestjs/terminus';

/**
 * Readiness as a public port may show it: which checks are down (and what start-up waits for,
 * by name), never why. The reasons
 * (driver errors with host names and ports, what start-up waits for) stay in the logs and on
 * the services' own ports, which only the cluster reaches.
 */
export function publicReadiness(result: HealthCheckResult): HealthCheckResult {
  return {
    status: result.status,
    info: result.info,
    error: result.error && withoutReasons(result.error),
    details: withoutReasons(result.details),
  };
}

function withoutReasons(checks: Partial<HealthIndicatorResult>): HealthIndicatorResult {
  return Object.fromEntries(
    Object.entries(checks).flatMap(([name, check]) =>
      check ? [[name, check.status === 'up' ? check : withoutReason(check)]] : [],
    ),
  ) as HealthIndicatorResult;
}

/** Down, and what start-up waits for by name (`database`, `broker`), without the errors. */
function withoutReason(check: { status: string; waitingFor?: unknown }): Record<string, unknown> {
  const waitingFor =
    typeof check.waitingFor === 'object' && check.waitingFor !== null
      ? Object.fromEntries(Object.keys(check.waitingFor).map((name) => [name, 'waiting']))
      : undefined;
  return waitingFor ? { status: check.status, waitingFor } : { status: check.status };
}
