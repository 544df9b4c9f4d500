import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { HEALTH_OPTIONS, type HealthOptions } from './health-options.js';
import { READINESS_CHECKS } from './readiness-check.js';
import { Readiness } from './readiness.js';
import { ShutdownState } from './shutdown-state.js';

/**
 * Health endpoints; the host app says what readiness depends on. `Readiness` is exported for a
 * management port (see ManagementServer).
 */
@Module({})
export class HealthModule {
  static register(
    checks: Omit<Extract<Provider, { useFactory: unknown }>, 'provide'>,
    options: HealthOptions = { reasons: 'shown' },
  ): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        ShutdownState,
        Readiness,
        { provide: READINESS_CHECKS, ...checks },
        { provide: HEALTH_OPTIONS, useValue: options },
      ],
      exports: [ShutdownState, Readiness],
    };
  }
}
