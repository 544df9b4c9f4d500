import type { OrderResponse, OrderStatusValue } from '@app/contracts';

export interface OrderPage {
  items: OrderResponse[];
  nextCursor: string | null;
}

/** The query side: the `order_views` read model, kept in step with every order change. */
export abstract class OrderViews {
  abstract findById(id: string): Promise<OrderResponse | null>;
  /** A user's orders, newest first, by keyset pagination. Throws ValidationFailedError for a bad cursor. */
  abstract listForUser(
    userId: string,
    status: OrderStatusValue | undefined,
    limit: number,
    cursor?: string,
  ): Promise<OrderPage>;
}
