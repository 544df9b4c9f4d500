/** The users service reserved the order's credit. */
export class ConfirmOrderCommand {
  constructor(readonly orderId: string) {}
}
