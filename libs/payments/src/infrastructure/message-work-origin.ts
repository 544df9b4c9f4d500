import { Injectable } from '@nestjs/common';
import {
  SpanKind,
  currentMessageContext,
  extractTraceContext,
  inSpan,
  injectTraceContext,
  runInMessageContext,
} from '@app/platform';
import type { PaymentOrigin, WorkOrigin } from '../application/index.js';

/** The message being handled on this async path, as a payment's origin (null outside any message). */
export function currentPaymentOrigin(): PaymentOrigin | null {
  const context = currentMessageContext();
  if (!context) return null;
  const trace: Record<string, string> = {};
  injectTraceContext(trace);
  return { correlationId: context.correlationId, causationId: context.causationId, trace };
}

/**
 * Resumes a payment's origin with the platform's tracing and message context: the span's
 * parent is the stored trace context, and whatever runs inside (the provider call, log lines,
 * the outbox rows) carries the origin's correlation and causation ids.
 */
@Injectable()
export class MessageWorkOrigin implements WorkOrigin {
  resume<T>(
    origin: PaymentOrigin | null,
    name: string,
    attributes: Readonly<Record<string, string>>,
    work: () => Promise<T>,
  ): Promise<T> {
    // No origin: a trace of its own rather than whichever message happened to wake the processor.
    const parent = extractTraceContext(origin?.trace);
    return inSpan(
      name,
      SpanKind.INTERNAL,
      attributes,
      () =>
        origin
          ? runInMessageContext({ correlationId: origin.correlationId, causationId: origin.causationId }, work)
          : work(),
      parent,
    );
  }
}
