import { Inject, Injectable, Optional, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { DependencyGate } from '../start/dependency-gate.js';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness-check.js';
import { ShutdownState } from './shutdown-state.js';

const CHECK_TIMEOUT_MS = 2000;

/** A readiness answer with every reason in it; who shows it decides how much of it to show. */
export interface ReadinessAnswer {
  ready: boolean;
  result: HealthCheckResult;
}

/**
 * The app's liveness and readiness, computed once for every port that shows them: the public
 * `/health/*` (reasons redacted on the gateway and the monolith) and the management port
 * (reasons shown).
 */
@Injectable()
export class Readiness {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
    @Optional() private readonly gate?: DependencyGate,
  ) {}

  /** The process answers: no dependency is asked. */
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** Shutdown, start-up gate, then each check of the app (each bounded by 2 s). */
  async ready(): Promise<ReadinessAnswer> {
    try {
      return { ready: true, result: await this.checkAll() };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      return { ready: false, result: error.getResponse() as HealthCheckResult };
    }
  }

  private checkAll(): Promise<HealthCheckResult> {
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
