export interface OutboxRelayOptions {
  /** Rows claimed and published per transaction. */
  batchSize: number;
  /** Fallback poll for rows the in-process signal missed (another replica, a restart). */
  pollIntervalMs: number;
}
