import type { InMemoryUnitOfWork } from '@app/ddd';
import {
  ProviderUnavailableError,
  type CaptureResult,
  type PaymentProvider,
  type RefundResult,
} from '../ports/payment-provider.port.js';
import type { PaymentOrigin } from '../ports/work-origin.port.js';
import type { InMemoryWorkOrigin } from './in-memory-work-origin.js';

type Scripted<T> = T | 'unavailable' | 'unavailable-after-charging';

/**
 * A provider whose answers a spec scripts, call by call; with nothing scripted it charges and
 * refunds. It keeps a ledger by key, like a real one, and refuses to be called inside a unit of work.
 * `origins` holds, call by call, the message context each call was made in.
 */
export class ScriptedPaymentProvider implements PaymentProvider {
  readonly charges = new Map<string, number>();
  readonly refunds = new Map<string, number>();
  readonly calls: string[] = [];
  readonly origins: (PaymentOrigin | null)[] = [];
  private captures: Scripted<CaptureResult>[] = [];
  private refundAnswers: Scripted<RefundResult>[] = [];

  constructor(
    private readonly unitOfWork: InMemoryUnitOfWork,
    private readonly context: InMemoryWorkOrigin,
  ) {}

  scriptCaptures(...answers: Scripted<CaptureResult>[]): void {
    this.captures.push(...answers);
  }

  scriptRefunds(...answers: Scripted<RefundResult>[]): void {
    this.refundAnswers.push(...answers);
  }

  async capture(captureKey: string, _customer: string, amountCents: number): Promise<CaptureResult> {
    this.outsideUnitOfWork(`capture ${captureKey}`);
    const answer = this.captures.shift() ?? { outcome: 'captured', chargeId: `ch-${captureKey}` };
    if (answer === 'unavailable') throw new ProviderUnavailableError('scripted');
    if (answer === 'unavailable-after-charging' || answer.outcome === 'captured')
      this.charges.set(captureKey, amountCents);
    if (answer === 'unavailable-after-charging') throw new ProviderUnavailableError('scripted, after charging');
    return answer;
  }

  async refund(refundKey: string, captureKey: string): Promise<RefundResult> {
    this.outsideUnitOfWork(`refund ${refundKey}`);
    const scripted = this.refundAnswers.shift();
    if (scripted === 'unavailable') throw new ProviderUnavailableError('scripted');
    if (scripted && scripted !== 'unavailable-after-charging') return scripted;
    const charged = this.charges.get(captureKey) ?? 0;
    if (charged > 0) this.refunds.set(refundKey, charged);
    return charged > 0
      ? { outcome: 'refunded', amountCents: charged }
      : { outcome: 'nothing_to_refund', amountCents: 0 };
  }

  private outsideUnitOfWork(call: string): void {
    if (this.unitOfWork.inUnitOfWork) throw new Error(`${call}: the provider is called outside any unit of work`);
    this.calls.push(call);
    this.origins.push(this.context.current());
  }
}
