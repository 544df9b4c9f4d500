import type { Actor, OrderStatusValue } from '@app/contracts';

/** The caller's own orders, newest first. */
export class ListOrdersQuery {
  constructor(
    readonly actor: Actor,
    readonly status: OrderStatusValue | undefined,
    readonly limit: number,
    readonly cursor: string | undefined,
  ) {}
}
