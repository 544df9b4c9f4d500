/** How the simulated provider behaves (PAYMENT_PROVIDER_* variables). */
export interface SimulatedProviderSettings {
  /** Time between recording a call's effect in the ledger and answering it. */
  latencyMs: number;
  /** Share of calls (0..1) that fail transiently: half before recording anything, half after recording. */
  failureRate: number;
  /** A charge above this is declined AMOUNT_OVER_LIMIT. */
  declineAboveCents: number;
  /** A customer's net captured total may not go above this (CUSTOMER_LIMIT_EXCEEDED); 0: no limit. */
  customerLimitCents: number;
  /** Our client's deadline per call: past it the call counts as failed, whatever the provider does. */
  timeoutMs: number;
  /** Where the failure draws come from; tests make them deterministic. */
  random?: () => number;
}

export const SIMULATED_PROVIDER_SETTINGS = Symbol('SIMULATED_PROVIDER_SETTINGS');
