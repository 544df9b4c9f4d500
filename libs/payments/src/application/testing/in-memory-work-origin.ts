import { AsyncLocalStorage } from 'node:async_hooks';
import type { PaymentOrigin, WorkOrigin } from '../ports/work-origin.port.js';

/** One `resume` of the processor: the span it would have opened, and the origin it continued. */
export interface ResumedWork {
  name: string;
  attributes: Readonly<Record<string, string>>;
  origin: PaymentOrigin | null;
}

/**
 * The message context, in memory: `handling` stands for a consumer running a handler for a
 * message, `current` is what an adapter would read (the SQL repository, the outbox writer), and
 * `resume` records the span the processor asks for and runs the work under the stored origin.
 */
export class InMemoryWorkOrigin implements WorkOrigin {
  private readonly storage = new AsyncLocalStorage<PaymentOrigin | null>();
  readonly resumed: ResumedWork[] = [];

  handling<T>(origin: PaymentOrigin, work: () => T): T {
    return this.storage.run(origin, work);
  }

  current(): PaymentOrigin | null {
    return this.storage.getStore() ?? null;
  }

  resume<T>(
    origin: PaymentOrigin | null,
    name: string,
    attributes: Readonly<Record<string, string>>,
    work: () => Promise<T>,
  ): Promise<T> {
    this.resumed.push({ name, attributes, origin });
    return this.storage.run(origin, work);
  }
}
