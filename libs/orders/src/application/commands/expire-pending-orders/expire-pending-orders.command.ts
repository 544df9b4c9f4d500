/** Rejects orders PENDING for longer than the saga timeout, at most `limit` per run. */
export class ExpirePendingOrdersCommand {
  constructor(
    readonly timeoutMs: number,
    readonly limit = 500,
  ) {}
}
