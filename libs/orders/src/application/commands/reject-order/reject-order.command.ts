/** The users service refused the order's credit (INSUFFICIENT_CREDIT, USER_NOT_FOUND). */
export class RejectOrderCommand {
  constructor(
    readonly orderId: string,
    readonly reason: string,
  ) {}
}
