import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  Client,
  Metadata,
  credentials,
  status as Status,
  type ServiceDefinition,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ROOT_CONTEXT, context as otelContext, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { INestMicroservice } from '@nestjs/common';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { runInMessageContext } from '@app/platform';
import { freePort } from '../../../../test/support/free-port.js';
import { WIDGET_DEFINITIONS, startWidgets, writeWidgetsProto } from '../../../../test/support/grpc-widgets.js';
import { RpcRemoteError, RpcTimeoutError, RpcUnavailableError } from '../rpc/rpc-errors.js';
import { GrpcRpcClient } from './grpc-rpc.client.js';
import type { GrpcRpcServer } from './grpc-rpc.server.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

describe('RPC over gRPC (GrpcRpcServer + GrpcRpcClient)', () => {
  const protoPath = writeWidgetsProto();
  let app: INestMicroservice;
  let server: GrpcRpcServer;
  let client: GrpcRpcClient;
  let target: string;

  const health = loadSync(healthProtoPath, { enums: String, defaults: true })[
    'grpc.health.v1.Health'
  ] as ServiceDefinition;

  const healthOf = (at: string, service: string): Promise<string> => {
    const raw = new Client(at, credentials.createInsecure());
    const { path, requestSerialize, responseDeserialize } = health.Check!;
    return new Promise((resolve, reject) =>
      raw.makeUnaryRequest(path, requestSerialize, responseDeserialize, { service }, (error, reply) => {
        raw.close();
        if (error) reject(error);
        else resolve((reply as { status: string }).status);
      }),
    );
  };

  /** A call whose gRPC status we read ourselves, as a client of another stack would. */
  const rawCall = (method: string, request: unknown): Promise<ServiceError> => {
    const service = loadSync(protoPath, { longs: Number, defaults: true })['user.UserService'] as ServiceDefinition;
    const raw = new Client(target, credentials.createInsecure());
    const m = service[method]!;
    return new Promise((resolve, reject) =>
      raw.makeUnaryRequest(m.path, m.requestSerialize, m.responseDeserialize, request, new Metadata(), {}, (error) => {
        raw.close();
        if (error) resolve(error);
        else reject(new Error('the call succeeded'));
      }),
    );
  };

  beforeAll(async () => {
    otelContext.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    ({ app, server } = await startWidgets({ protoPath }));
    target = `dns:///127.0.0.1:${server.port}`;
    client = new GrpcRpcClient({
      service: 'users',
      definitions: WIDGET_DEFINITIONS,
      protoPath,
      target,
      defaultTimeoutMs: 2000,
    });
  });

  afterAll(async () => {
    client?.close();
    await app?.close();
  });

  it('answers with the handler result, zeros, empties, nulls and 64-bit integers kept', async () => {
    const request = { n: 0, big: Number.MAX_SAFE_INTEGER, tags: [], note: null, parts: [{ sku: 'A-1', quantity: 2 }] };
    await expect(client.send('widgets.echo', request)).resolves.toEqual(request);
    const full = { n: -5, big: 1, tags: ['a', 'b'], note: 'ünïcode', label: '', parts: [] };
    await expect(client.send('widgets.echo', full)).resolves.toEqual(full);
  });

  it('answers many concurrent calls, each with its own reply', async () => {
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, n) =>
        client.send('widgets.echo', { n, big: 0, tags: [], note: null, parts: [] }),
      ),
    );
    expect(replies.map((reply) => (reply as { n: number }).n)).toEqual(Array.from({ length: 200 }, (_, n) => n));
  });

  it('carries the correlation id, a request id as causation, and the traceparent in metadata', async () => {
    const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: 'b7ad6b7169203331', traceFlags: 1 });
    const seen = (await otelContext.with(parent, () =>
      runInMessageContext({ correlationId: 'corr-42', causationId: null }, () => client.send('widgets.context', {})),
    )) as { correlationId: string; causationId: string; traceparent: string; traceId: string };
    expect(seen.correlationId).toBe('corr-42');
    expect(seen.causationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(seen.traceId).toBe(TRACE_ID);
  });

  it.each([
    ['VALIDATION_FAILED', Status.INVALID_ARGUMENT],
    ['UNAUTHENTICATED', Status.UNAUTHENTICATED],
    ['FORBIDDEN', Status.PERMISSION_DENIED],
    ['USER_NOT_FOUND', Status.NOT_FOUND],
    ['EMAIL_TAKEN', Status.ABORTED],
    ['SERVICE_UNAVAILABLE', Status.UNAVAILABLE],
    ['NO_SUCH_CODE', Status.INTERNAL],
  ])('answers %s as gRPC status %s and reads it back as the same error body', async (code, status) => {
    expect((await rawCall('Fail', { code })).code).toBe(status);
    const error = await client.send('widgets.fail', { code }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcRemoteError);
    expect((error as RpcRemoteError).body).toEqual({
      code,
      message: `failed with ${code}: ünïcode`,
      details: { reason: 'test', n: 1 },
    });
  });

  it('hides the internals of an unexpected error: INTERNAL, INTERNAL_ERROR', async () => {
    expect((await rawCall('Fail', { code: 'CRASH' })).code).toBe(Status.INTERNAL);
    const error = await client.send('widgets.fail', { code: 'CRASH' }).catch((e: unknown) => e);
    expect((error as RpcRemoteError).body).toEqual({ code: 'INTERNAL_ERROR', message: 'internal error' });
  });

  it('answers an invalid request VALIDATION_FAILED with the dotted path of each field', async () => {
    const error = await client
      .send('widgets.place', { widgetId: 'not-a-uuid', items: [{ sku: 'a' }, { sku: '' }] })
      .catch((e: unknown) => e);
    expect((await rawCall('Place', { widgetId: 'x', items: [] })).code).toBe(Status.INVALID_ARGUMENT);
    expect(error).toBeInstanceOf(RpcRemoteError);
    const { body } = error as RpcRemoteError;
    expect(body.code).toBe('VALIDATION_FAILED');
    expect((body.details as { fields: { field: string }[] }).fields.map((f) => f.field)).toEqual([
      'widgetId',
      'items.1.sku',
    ]);
  });

  it('answers NO_HANDLER for a pattern the service does not define, without a call', async () => {
    const error = await client.send('widgets.unknown', {}).catch((e: unknown) => e);
    expect((error as RpcRemoteError).body.code).toBe('NO_HANDLER');
  });

  it('times out at the deadline when the server is slow', async () => {
    const started = Date.now();
    const error = await client.send('widgets.slow', { ms: 1500 }, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('fails RpcUnavailableError at once when no server listens', async () => {
    const nobody = new GrpcRpcClient({
      service: 'users',
      definitions: WIDGET_DEFINITIONS,
      protoPath,
      target: `dns:///127.0.0.1:${await freePort()}`,
      defaultTimeoutMs: 5000,
    });
    const started = Date.now();
    const error = await nobody.send('widgets.context', {}).catch((e: unknown) => e);
    nobody.close();
    expect(error).toBeInstanceOf(RpcUnavailableError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('says SERVING for the whole server and for its service', async () => {
    await expect(healthOf(target, '')).resolves.toBe('SERVING');
    await expect(healthOf(target, 'user.UserService')).resolves.toBe('SERVING');
    await expect(healthOf(target, 'order.OrderService')).rejects.toMatchObject({ code: Status.NOT_FOUND });
  });

  it('drains: NOT_SERVING to watchers, calls in flight answered, new calls refused, watch streams ended', async () => {
    const { app: draining, server: drainingServer } = await startWidgets({ protoPath, replica: 'draining' });
    const at = `127.0.0.1:${drainingServer.port}`;
    const drainClient = new GrpcRpcClient({
      service: 'users',
      definitions: WIDGET_DEFINITIONS,
      protoPath,
      target: at,
      defaultTimeoutMs: 5000,
    });
    const watcher = new Client(at, credentials.createInsecure());
    const { path, requestSerialize, responseDeserialize } = health.Watch!;
    const watched: string[] = [];
    const watch = watcher.makeServerStreamRequest(path, requestSerialize, responseDeserialize, { service: '' });
    watch.on('data', (reply: { status: string }) => watched.push(reply.status));
    const watchEnded = new Promise((resolve) => watch.on('close', resolve));
    watch.on('error', () => undefined);
    await expect(drainClient.send('widgets.context', {})).resolves.toMatchObject({ replica: 'draining' });

    const inFlight = drainClient.send('widgets.slow', { ms: 700 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const started = Date.now();
    const closing = draining.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const late = await drainClient.send('widgets.context', {}).catch((e: unknown) => e);

    await expect(inFlight).resolves.toEqual({ done: true });
    await closing;
    await watchEnded;
    drainClient.close();
    watcher.close();
    expect(late).toBeInstanceOf(RpcUnavailableError);
    expect(watched).toEqual(['SERVING', 'NOT_SERVING']);
    // The open watch stream did not hold the drain until the app's grace ran out.
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
