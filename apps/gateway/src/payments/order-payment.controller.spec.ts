import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { PaymentsErrorCodes, RpcQueues, type Actor, type PaymentResponse } from '@app/contracts';
import { RpcClient, RpcRemoteError, RpcUnavailableError, type RpcCallOptions } from '@app/messaging';
import { AccessTokenGuard } from '../auth/access-token.guard.js';
import { loadSigningKeys } from '../auth/signing-keys.js';
import { SIGNING_KEYS, TOKEN_OPTIONS, TokenService } from '../auth/token.service.js';
import { ProblemDetailsFilter } from '../errors/problem-details.filter.js';
import { PAYMENTS_CLIENT } from '../rpc/service-clients.js';
import { OrderPaymentController } from './order-payment.controller.js';

const owner: Actor = { id: randomUUID(), role: 'user' };
const stranger: Actor = { id: randomUUID(), role: 'user' };
const admin: Actor = { id: randomUUID(), role: 'admin' };
const orderId = randomUUID();

const payment: PaymentResponse = {
  id: randomUUID(),
  orderId,
  userId: owner.id,
  status: 'CAPTURED',
  amountCents: 3998,
  currency: 'EUR',
  capturedCents: 3998,
  refundedCents: 0,
  declineReason: null,
  providerChargeId: 'ch_1',
  createdAt: '2026-12-04T09:12:44.150Z',
  updatedAt: '2026-12-04T09:12:44.175Z',
};

/**
 * The payments service as the gateway meets it: it verifies the forwarded token and shows the
 * payment to its owner or an admin; to anyone else it does not exist. `down` makes it unreachable.
 */
class PaymentsService extends RpcClient {
  readonly received: { pattern: string; request: unknown }[] = [];
  down = false;

  constructor(private readonly tokens: () => TokenService) {
    super();
  }

  get isReady(): boolean {
    return true;
  }

  async send(pattern: string, request: unknown, _options?: RpcCallOptions): Promise<unknown> {
    this.received.push({ pattern, request });
    if (this.down) throw new RpcUnavailableError(RpcQueues.payments, 'connection refused');
    const { accessToken, orderId: asked } = request as { accessToken: string; orderId: string };
    const actor = await this.tokens().verify(accessToken);
    if (asked === orderId && (actor.role === 'admin' || actor.id === payment.userId)) return payment;
    throw new RpcRemoteError({ code: PaymentsErrorCodes.paymentNotFound, message: `order ${asked} has no payment` });
  }
}

/*
 * The route with the pieces of the gateway's pipeline it relies on: authentication (6), the
 * UUID check of its parameter (9) and the problem+json mapping (13). The whole app is not built
 * here: jest cannot load @nestjs/throttler's CommonJS next to Nest's ESM; the e2e suites run it.
 */
describe('GET /orders/:id/payment', () => {
  let app: NestFastifyApplication;
  let payments: PaymentsService;
  let keysDir: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    keysDir = mkdtempSync(join(tmpdir(), 'gateway-payment-spec-'));
    const keys = await loadSigningKeys({ devKeysDir: join(keysDir, 'keys'), production: false });
    payments = new PaymentsService(() => app.get(TokenService));
    @Module({
      controllers: [OrderPaymentController],
      providers: [
        { provide: SIGNING_KEYS, useValue: keys },
        { provide: TOKEN_OPTIONS, useValue: { issuer: 'iss-test', audience: 'aud-test', ttlSeconds: 900 } },
        TokenService,
        { provide: PAYMENTS_CLIENT, useValue: payments },
        { provide: APP_GUARD, useClass: AccessTokenGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    })
    class PaymentRouteModule {}
    app = await NestFactory.create<NestFastifyApplication>(PaymentRouteModule, new FastifyAdapter(), { logger: false });
    app.setGlobalPrefix('api/v1');
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    for (const [name, actor] of Object.entries({ owner, stranger, admin })) {
      tokens[name] = await app.get(TokenService).issue(actor);
    }
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    rmSync(keysDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    payments.received.length = 0;
    payments.down = false;
  });

  function get(id: string, token?: string) {
    return app.inject({
      method: 'GET',
      url: `/api/v1/orders/${id}/payment`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  }

  it("answers the owner with the order's payment, forwarding the caller's access token as it came", async () => {
    const response = await get(orderId, tokens.owner);

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(payment);
    expect(payments.received).toEqual([
      { pattern: 'payments.get-by-order', request: { accessToken: tokens.owner, orderId } },
    ]);
  });

  it("answers an admin with anyone's payment", async () => {
    const response = await get(orderId, tokens.admin);

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ orderId, userId: owner.id });
  });

  it('answers another user 404 PAYMENT_NOT_FOUND as problem+json, as for an order that is not theirs', async () => {
    const response = await get(orderId, tokens.stranger);

    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 404, code: 'PAYMENT_NOT_FOUND' });
  });

  it('refuses an id that is not a UUID with 400 VALIDATION_FAILED, without asking the payments service', async () => {
    const response = await get('not-a-uuid', tokens.owner);

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(payments.received).toEqual([]);
  });

  it('refuses a caller without a token with 401, without asking the payments service', async () => {
    const response = await get(orderId);

    expect(response.statusCode).toBe(401);
    expect(payments.received).toEqual([]);
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After while the payments service is down', async () => {
    payments.down = true;

    const response = await get(orderId, tokens.owner);

    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json()).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  });
});
