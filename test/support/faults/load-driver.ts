import { randomUUID } from 'node:crypto';
import { orderBody, type TestUser } from '../saga-api.js';
import type { SystemUnderTest } from '../system-under-test.js';

/** One answer the client got (or 0 for a network error or its own timeout), and when. */
export interface Attempt {
  status: number;
  at: number;
  ms: number;
}

/** What the client knows about one order it tried to place, under one Idempotency-Key. */
export interface Placement {
  key: string;
  user: TestUser;
  totalCents: number;
  attempts: Attempt[];
  /** The definitive answer (2xx or a 4xx other than 429), or null if the client gave up. */
  final: number | null;
  orderId: string | null;
}

export interface LoadOptions {
  orders: number;
  /** Placements in flight at once. */
  concurrency?: number;
  /** Attempts per key before the client gives up. */
  maxAttempts?: number;
  /** Time per key before the client gives up. */
  maxMsPerOrder?: number;
  /** Per request: past it the client counts a network error and retries. */
  requestTimeoutMs?: number;
  /** Placements begun per second at most (a steady client population); unbounded by default. */
  ratePerSecond?: number;
  /** Stop starting new placements once this returns true (the orders already begun finish). */
  stopWhen?: () => boolean;
  /** Give up at once, on every placement, once this returns true (e.g. the system crashed). */
  abortWhen?: () => boolean;
}

const RETRIED = (status: number) => status === 0 || status === 429 || status >= 500;

/**
 * Places orders like a careful client: each order has one Idempotency-Key, sent again on a
 * network error, a 5xx or a 429 (after Retry-After, else a growing backoff), until a definitive
 * answer or the bound. Every answer is recorded, for the checks and the scenario's row.
 */
export class LoadDriver {
  readonly placements: Placement[] = [];
  private next = 0;

  constructor(
    private readonly system: SystemUnderTest,
    private readonly users: TestUser[],
  ) {}

  /** Places `options.orders` orders, `concurrency` at a time; resolves when each has its answer or was given up. */
  async run(options: LoadOptions): Promise<Placement[]> {
    const concurrency = options.concurrency ?? 16;
    const own: Placement[] = [];
    const began = Date.now();
    const worker = async () => {
      while (own.length < options.orders && !options.stopWhen?.() && !options.abortWhen?.()) {
        const index = this.next++;
        const placement: Placement = {
          key: randomUUID(),
          user: this.users[index % this.users.length]!,
          totalCents: 100 + (index % 50),
          attempts: [],
          final: null,
          orderId: null,
        };
        own.push(placement);
        this.placements.push(placement);
        if (options.ratePerSecond) await sleep(began + ((own.length - 1) * 1000) / options.ratePerSecond - Date.now());
        await this.place(placement, options);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return own;
  }

  private async place(placement: Placement, options: LoadOptions): Promise<void> {
    const maxAttempts = options.maxAttempts ?? 100;
    const giveUpAt = Date.now() + (options.maxMsPerOrder ?? 180_000);
    let backoff = 100;
    while (placement.attempts.length < maxAttempts && Date.now() < giveUpAt && !options.abortWhen?.()) {
      const started = Date.now();
      let status: number;
      let retryAfterMs: number | null = null;
      try {
        const response = await fetch(`${this.system.api}/orders`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${placement.user.token}`,
            'content-type': 'application/json',
            'idempotency-key': placement.key,
          },
          body: JSON.stringify(orderBody(placement.totalCents)),
          signal: AbortSignal.timeout(options.requestTimeoutMs ?? 15_000),
        });
        status = response.status;
        const text = await response.text();
        if (status >= 200 && status < 300) placement.orderId = (JSON.parse(text) as { id: string }).id;
        const retryAfter = Number(response.headers.get('retry-after'));
        if (retryAfter > 0) retryAfterMs = retryAfter * 1000;
      } catch {
        status = 0;
      }
      placement.attempts.push({ status, at: started, ms: Date.now() - started });
      if (!RETRIED(status)) {
        placement.final = status;
        return;
      }
      await sleep(retryAfterMs ?? backoff * (0.5 + Math.random()));
      backoff = Math.min(backoff * 2, 2000);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
