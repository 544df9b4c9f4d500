import { Injectable } from '@nestjs/common';
import { LiveConfig } from '@app/platform';
import { GatewayErrorCodes } from '../../errors/error-codes.js';
import type { GatewayEnv } from '../../gateway.env.js';
import { FeatureDisabledError } from './feature-disabled.error.js';

/** A pause for maintenance is expected to last minutes: clients come back after this. */
const ORDER_PLACEMENT_RETRY_AFTER_SECONDS = 120;

/**
 * The gateway's feature switches (FEATURE_*), read per request from the live configuration,
 * so an operator turns a feature off or on without a restart.
 */
@Injectable()
export class FeatureSwitches {
  constructor(private readonly live: LiveConfig<GatewayEnv>) {}

  /** Throws REGISTRATION_CLOSED (403) while sign-up is switched off. */
  requireRegistrationOpen(): void {
    if (this.live.current().FEATURE_REGISTRATION_ENABLED) return;
    throw new FeatureDisabledError(403, GatewayErrorCodes.registrationClosed, 'sign-up is closed at the moment');
  }

  /** Throws ORDER_PLACEMENT_PAUSED (503, Retry-After) while new orders are paused. */
  requireOrderPlacementOpen(): void {
    if (this.live.current().FEATURE_ORDER_PLACEMENT_ENABLED) return;
    throw new FeatureDisabledError(
      503,
      GatewayErrorCodes.orderPlacementPaused,
      'placing orders is paused for maintenance, try again later',
      ORDER_PLACEMENT_RETRY_AFTER_SECONDS,
    );
  }
}
