import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { http } from '../support/http-client.js';
import { OtlpReceiver } from '../support/otlp-receiver.js';
import { pollUntil, registerUser, waitForIdle, waitForOrderStatus } from '../support/saga-invariants.js';
import { SystemUnderTest } from '../support/system-under-test.js';

const receiver = new OtlpReceiver();
let system: SystemUnderTest;

beforeAll(async () => {
  const endpoint = await receiver.start();
  system = new SystemUnderTest({
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    LOG_LEVEL: 'debug',
  });
  await system.start(['users', 'orders', 'payments', 'gateway']);
}, 90_000);

afterAll(async () => {
  await system.stop();
  await receiver.stop();
}, 60_000);

describe('tracing across HTTP and the transport (RabbitMQ, or in process)', () => {
  it('gives one POST /orders one trace: gateway, orders RPC, relay, users, orders, the payment processor, orders', async () => {
    const user = await registerUser(system, 'traced');
    const traceId = randomUUID().replaceAll('-', '');
    const correlationId = `trace-${traceId}`;
    const placed = await http<{ id: string }>('POST', `${system.api}/orders`, {
      token: user.token,
      headers: {
        'idempotency-key': randomUUID(),
        'x-correlation-id': correlationId,
        traceparent: `00-${traceId}-${'1'.repeat(16)}-01`,
      },
      body: { currency: 'EUR', items: [{ sku: 'TRACE-1', quantity: 1, unitPriceCents: 100 }] },
    });
    expect(placed.status).toBe(201);
    await waitForOrderStatus(system, user.token, placed.body.id, ['CONFIRMED']);
    await waitForIdle(system, 30_000);

    // The same hops in both shapes; in the monolith, one process reports them all.
    const at = (service: string) => (system.shape === 'monolith' ? 'monolith' : service);
    const expected = [
      [at('gateway'), 'POST /api/v1/orders'],
      [at('gateway'), 'RPC orders.place'],
      [at('orders'), 'RPC server orders.place'],
      [at('orders'), 'publish orders.order-placed.v1'],
      [at('users'), 'consume orders.order-placed.v1'],
      [at('users'), 'publish users.credit-reserved.v1'],
      [at('orders'), 'consume users.credit-reserved.v1'],
      [at('orders'), 'publish orders.payment-requested.v1'],
      [at('payments'), 'consume orders.payment-requested.v1'],
      // The processor, later and outside any message, resumes the request's trace for the capture.
      [at('payments'), 'payments.process capture'],
      [at('payments'), 'publish payments.payment-captured.v1'],
      [at('orders'), 'consume payments.payment-captured.v1'],
    ];
    const spans = await pollUntil(
      async () => receiver.spans.filter((s) => s.traceId === traceId),
      (found) => expected.every(([service, name]) => found.some((s) => s.service === service && s.name === name)),
      15_000,
    );
    const byName = new Map(spans.map((s) => [s.name, s]));
    // Each hop is a child of the one before: one trace, not twelve.
    for (let i = 1; i < expected.length; i += 1) {
      expect(byName.get(expected[i]![1]!)?.parentSpanId).toBe(byName.get(expected[i - 1]![1]!)?.spanId);
    }
    console.log(`one order, one trace: ${expected.map(([service, name]) => `${service}:${name}`).join(' → ')}`);

    // Log lines written inside a span carry its trace id.
    const logs = system.logLines().filter((l) => l.json?.traceId === traceId);
    expect([...new Set(logs.map((l) => l.app))].sort()).toEqual(
      system.shape === 'monolith' ? ['monolith'] : ['orders', 'payments', 'users'],
    );
    // The processor's line, written long after the request, still carries its correlation id.
    const processed = logs.find((l) => l.json?.context === 'ProcessDuePaymentsHandler');
    expect(processed?.json).toMatchObject({
      correlationId,
      msg: `order ${placed.body.id}: provider capture, payment CAPTURED`,
    });
  }, 60_000);
});
