import type { Actor } from '@app/contracts';

export class GetOrderQuery {
  constructor(
    readonly actor: Actor,
    readonly orderId: string,
  ) {}
}
