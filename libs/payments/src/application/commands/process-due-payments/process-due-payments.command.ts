import { Command } from '@nestjs/cqrs';

/** One run of the payment processor: claims due payments and asks the provider; returns how many it claimed. */
export class ProcessDuePaymentsCommand extends Command<number> {
  constructor(readonly limit: number) {
    super();
  }
}
