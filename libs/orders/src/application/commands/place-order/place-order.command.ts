import type { Actor } from '@app/contracts';

export class PlaceOrderCommand {
  constructor(
    readonly actor: Actor,
    readonly idempotencyKey: string,
    readonly currency: unknown,
    readonly items: unknown,
  ) {}
}
