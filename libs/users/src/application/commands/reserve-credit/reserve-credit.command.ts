/** An order was placed: reserve its total against its user's credit, once. */
export class ReserveCreditCommand {
  constructor(
    readonly orderId: string,
    readonly userId: string,
    readonly amountCents: number,
  ) {}
}
