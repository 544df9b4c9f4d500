/** An order was cancelled (by its user or by the saga timeout): give its credit back, once. */
export class ReleaseCreditCommand {
  constructor(
    readonly orderId: string,
    readonly userId: string,
  ) {}
}
