import { Controller, Get, Inject, Logger, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HealthCheck, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '../http/public.decorator.js';
import { HEALTH_OPTIONS, type HealthOptions } from './health-options.js';
import { publicReadiness } from './public-readiness.js';
import { Readiness } from './readiness.js';

/** A failing readiness whose reasons are not shown is logged at most this often. */
const LOG_EVERY_MS = 10_000;

/** `/health/live`: the process answers. `/health/ready`: its dependencies answer too. */
@Controller('health')
@Public()
export class HealthController {
  private readonly logger = new Logger('Readiness');
  private lastLogged = 0;

  constructor(
    private readonly readiness: Readiness,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
  ) {}

  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.readiness.live();
  }

  /**
   * 503 with terminus's body, which says what is down and why (what the app waits for at
   * start), answered here: an app's exception filter (the gateway's problem+json) would drop it.
   */
  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    const { ready, result } = await this.readiness.ready();
    if (ready) return result;
    void reply.code(503);
    if (this.options.reasons === 'shown') return result;
    if (Date.now() - this.lastLogged >= LOG_EVERY_MS) {
      this.lastLogged = Date.now();
      this.logger.warn(`not ready: ${JSON.stringify(result.error)}`);
    }
    return publicReadiness(result);
  }
}
