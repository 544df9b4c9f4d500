import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import type { PaymentDeclineReason } from '@app/contracts';
import {
  ProviderUnavailableError,
  type CaptureResult,
  type PaymentProvider,
  type RefundResult,
} from '../../application/index.js';
import { ensureProviderLedger } from './provider-ledger.schema.js';
import { SIMULATED_PROVIDER_SETTINGS, type SimulatedProviderSettings } from './simulated-provider-settings.js';

type Failure = 'before' | 'after' | null;

/**
 * An external payment provider, simulated in the `payment_provider` schema of our database. It
 * behaves like a remote system: it works on connections of its own from the pool, each call in a
 * short transaction of its own that never joins ours (a rollback of ours does not undo a
 * charge), it records first and answers after its latency, and it can fail before recording or,
 * worse, after recording. The same idempotency key always gets the same answer and at most one
 * ledger row, also across restarts of ours.
 */
@Injectable()
export class SimulatedPaymentProvider implements PaymentProvider {
  private ledgerReady: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SIMULATED_PROVIDER_SETTINGS) private readonly settings: SimulatedProviderSettings,
  ) {}

  capture(
    captureKey: string,
    customerId: string,
    amountCents: number,
    currency: string,
    reference: string,
  ): Promise<CaptureResult> {
    return this.call('capture', (runner) =>
      this.charge(runner, captureKey, customerId, amountCents, currency, reference),
    );
  }

  refund(refundKey: string, captureKey: string): Promise<RefundResult> {
    return this.call('refund', (runner) => this.refundCharge(runner, refundKey, captureKey));
  }

  private async call<T>(operation: string, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const failure = this.drawFailure();
    const answer = this.answer(failure, work);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ProviderUnavailableError(`${operation}: no answer within ${this.settings.timeoutMs} ms`)),
        this.settings.timeoutMs,
      );
    });
    // The provider goes on after our deadline (as a remote one would); its late outcome is not ours to see.
    answer.catch(() => undefined);
    try {
      return await Promise.race([answer, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async answer<T>(failure: Failure, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    if (failure === 'before') throw new ProviderUnavailableError('provider failed before recording anything');
    const result = await this.inOwnTransaction(work);
    await sleep(this.settings.latencyMs);
    if (failure === 'after') throw new ProviderUnavailableError('provider recorded the call, then failed to answer');
    return result;
  }

  private drawFailure(): Failure {
    const random = this.settings.random ?? Math.random;
    if (random() >= this.settings.failureRate) return null;
    return random() < 0.5 ? 'before' : 'after';
  }

  private async inOwnTransaction<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    await this.ensureLedger();
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction();
      try {
        const result = await work(runner);
        await runner.commitTransaction();
        return result;
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  private ensureLedger(): Promise<void> {
    this.ledgerReady ??= (async () => {
      const runner = this.dataSource.createQueryRunner();
      try {
        await runner.connect();
        await ensureProviderLedger(runner);
      } finally {
        await runner.release();
      }
    })().catch((error: unknown) => {
      this.ledgerReady = null;
      throw error;
    });
    return this.ledgerReady;
  }

  private async charge(
    runner: QueryRunner,
    captureKey: string,
    customerId: string,
    amountCents: number,
    currency: string,
    reference: string,
  ): Promise<CaptureResult> {
    // The customer first (its limit), then the key: a refund takes the key only, so no cycle.
    await lock(runner, `customer:${customerId}`);
    await lock(runner, `capture:${captureKey}`);
    const [charged] = (await runner.query(
      `SELECT id FROM payment_provider.ledger WHERE idempotency_key = $1 AND kind = 'charge'`,
      [captureKey],
    )) as { id: string }[];
    if (charged) return { outcome: 'captured', chargeId: charged.id };
    const [declined] = (await runner.query('SELECT reason FROM payment_provider.declines WHERE idempotency_key = $1', [
      captureKey,
    ])) as { reason: PaymentDeclineReason }[];
    if (declined) return { outcome: 'declined', reason: declined.reason };

    const reason = await this.declineReasonOf(runner, customerId, amountCents);
    if (reason !== null) {
      await runner.query('INSERT INTO payment_provider.declines (idempotency_key, reason) VALUES ($1, $2)', [
        captureKey,
        reason,
      ]);
      return { outcome: 'declined', reason };
    }
    const [row] = (await runner.query(
      `INSERT INTO payment_provider.ledger (kind, idempotency_key, capture_key, customer_id, order_reference, amount_cents, currency)
       VALUES ('charge', $1, $1, $2, $3, $4, $5) RETURNING id`,
      [captureKey, customerId, reference, amountCents, currency],
    )) as { id: string }[];
    return { outcome: 'captured', chargeId: row!.id };
  }

  private async declineReasonOf(
    runner: QueryRunner,
    customerId: string,
    amountCents: number,
  ): Promise<PaymentDeclineReason | null> {
    if (amountCents > this.settings.declineAboveCents) return 'AMOUNT_OVER_LIMIT';
    if (this.settings.customerLimitCents <= 0) return null;
    const [{ net }] = (await runner.query(
      `SELECT coalesce(sum(CASE kind WHEN 'charge' THEN amount_cents ELSE -amount_cents END), 0)::bigint AS net
         FROM payment_provider.ledger WHERE customer_id = $1`,
      [customerId],
    )) as [{ net: string }];
    return Number(net) + amountCents > this.settings.customerLimitCents ? 'CUSTOMER_LIMIT_EXCEEDED' : null;
  }

  private async refundCharge(runner: QueryRunner, refundKey: string, captureKey: string): Promise<RefundResult> {
    await lock(runner, `capture:${captureKey}`);
    const [refunded] = (await runner.query(
      `SELECT amount_cents FROM payment_provider.ledger WHERE idempotency_key = $1 AND kind = 'refund'`,
      [refundKey],
    )) as { amount_cents: string }[];
    if (refunded) return { outcome: 'refunded', amountCents: Number(refunded.amount_cents) };
    const [charge] = (await runner.query(
      `SELECT customer_id, order_reference, amount_cents, currency FROM payment_provider.ledger
        WHERE capture_key = $1 AND kind = 'charge'`,
      [captureKey],
    )) as { customer_id: string; order_reference: string; amount_cents: string; currency: string }[];
    // Nothing is recorded: should the capture key charge later, a refund under this key still can.
    if (!charge) return { outcome: 'nothing_to_refund', amountCents: 0 };
    await runner.query(
      `INSERT INTO payment_provider.ledger (kind, idempotency_key, capture_key, customer_id, order_reference, amount_cents, currency)
       VALUES ('refund', $1, $2, $3, $4, $5, $6)`,
      [refundKey, captureKey, charge.customer_id, charge.order_reference, charge.amount_cents, charge.currency],
    );
    return { outcome: 'refunded', amountCents: Number(charge.amount_cents) };
  }
}

function lock(runner: QueryRunner, key: string): Promise<unknown> {
  return runner.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
}
