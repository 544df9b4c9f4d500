import type { Actor } from '@app/contracts';

export class CancelOrderCommand {
  constructor(
    readonly actor: Actor,
    readonly orderId: string,
  ) {}
}
