import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '../http/public.decorator.js';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness-check.js';
import { ShutdownState } from './shutdown-state.js';

const CHECK_TIMEOUT_MS = 2000;

/** `/health/live`: the process answers. `/health/ready`: its dependencies answer too. */
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
  ) {}

  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () =>
        this.shutdown.isShuttingDown
          ? this.indicators.check('shutdown').down('shutting down')
          : this.indicators.check('shutdown').up(),
      ...this.checks.map(
        ({ name, check }) =>
          () =>
            this.indicators
              .check(name)
              .attempt(() => check())
              .withTimeout(CHECK_TIMEOUT_MS),
      ),
    ]);
  }
}
