import { Controller, Get, Inject, Logger, Optional, Res, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '../http/public.decorator.js';
import { HEALTH_OPTIONS, type HealthOptions } from './health-options.js';
import { publicReadiness } from './public-readiness.js';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness-check.js';
import { ShutdownState } from './shutdown-state.js';
import { DependencyGate } from '../start/dependency-gate.js';

const CHECK_TIMEOUT_MS = 2000;
/** A failing readiness whose reasons are not shown is logged at most this often. */
const LOG_EVERY_MS = 10_000;

/** `/health/live`: the process answers. `/health/ready`: its dependencies answer too. */
@Controller('health')
@Public()
export class HealthController {
  private readonly logger = new Logger('Readiness');
  private lastLogged = 0;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
    @Optional() private readonly gate?: DependencyGate,
  ) {}

  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * 503 with terminus's body, which says what is down and why (what the app waits for at
   * start), answered here: an app's exception filter (the gateway's problem+json) would drop it.
   */
  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.checkReadiness();
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.code(503);
      const result = error.getResponse() as HealthCheckResult;
      if (this.options.reasons === 'shown') return result;
      if (Date.now() - this.lastLogged >= LOG_EVERY_MS) {
        this.lastLogged = Date.now();
        this.logger.warn(`not ready: ${JSON.stringify(result.error)}`);
      }
      return publicReadiness(result);
    }
  }

  private checkReadiness(): Promise<HealthCheckResult> {
    return this.health.check([
      () =>
        this.shutdown.isShuttingDown
          ? this.indicators.check('shutdown').down('shutting down')
          : this.indicators.check('shutdown').up(),
      // Until the start-up gate opens: which dependency the app waits for, and why it is not up.
      () => {
        const status = this.gate?.status() ?? { open: true as const };
        return status.open
          ? this.indicators.check('startup').up()
          : this.indicators.check('startup').down({ waitingFor: status.waitingFor });
      },
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
