import type { ReadinessCheck } from '../../health/readiness-check.js';
import type { LiveConfig } from './live-config.js';

/** Never down: says which live configuration version is in force, in readiness's details. */
export function liveConfigReadiness(live: Pick<LiveConfig<object>, 'version'>): ReadinessCheck {
  return { name: 'config', check: () => Promise.resolve({ version: live.version }) };
}
