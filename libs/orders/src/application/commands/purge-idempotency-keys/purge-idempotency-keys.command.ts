/** Forgets first answers to Idempotency-Keys older than `olderThanMs`. */
export class PurgeIdempotencyKeysCommand {
  constructor(readonly olderThanMs: number) {}
}
