import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Module, UseFilters, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { z } from 'zod';
import { defineRpc } from '@app/contracts';
import { DomainError } from '@app/ddd';
import { deleteQueues, openConnection, testPrefix } from '../../../../test/support/amqp-test-kit.js';
import { AmqpConnection } from './amqp-connection.js';
import { currentMessageContext, runInMessageContext } from '@app/platform';
import { AmqpRpcClient } from './amqp-rpc.client.js';
import { AmqpRpcServer } from './amqp-rpc.server.js';
import { RpcErrorFilter } from '../rpc/rpc-error.filter.js';
import { RpcHandler } from '../rpc/rpc-handler.decorator.js';
import { RpcRemoteError, RpcTimeoutError, RpcUnavailableError } from '../rpc/rpc-errors.js';

class WidgetMissingError extends DomainError {
  readonly code = 'WIDGET_MISSING';
}

/** Test RPCs: any object in, anything out; the transport is what is under test here. */
const widget = (name: string) =>
  defineRpc({
    service: 'users',
    name,
    grpcMethod: name,
    request: z.looseObject({}),
    response: z.unknown(),
    idempotent: false,
  });

@Controller()
@UseFilters(RpcErrorFilter)
class WidgetsRpcController {
  @RpcHandler(widget('widgets.echo'))
  echo(@Payload() payload: unknown): unknown {
    return payload;
  }

  @RpcHandler(widget('widgets.context'))
  context(): unknown {
    return currentMessageContext() ?? null;
  }

  @RpcHandler(widget('widgets.missing'))
  missing(): never {
    throw new WidgetMissingError('no widget 7', { widgetId: 7 });
  }

  @RpcHandler(widget('widgets.crash'))
  crash(): never {
    throw new Error('SELECT * FROM secrets failed');
  }

  @RpcHandler(widget('widgets.slow'))
  async slow(): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 800));
    return 'late';
  }
}

@Module({ controllers: [WidgetsRpcController] })
class WidgetsModule {}

describe('RPC over RabbitMQ (AmqpRpcServer + AmqpRpcClient)', () => {
  const prefix = testPrefix('rpc');
  const queue = `${prefix}widgets.rpc`;
  const idleQueue = `${prefix}idle.rpc`;
  let serverConnection: AmqpConnection;
  let clientConnection: AmqpConnection;
  let service: INestMicroservice;
  let client: AmqpRpcClient;

  beforeAll(async () => {
    serverConnection = new AmqpConnection({
      url: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
      prefix,
      prefetch: 10,
      rpcPrefetch: 10,
      deliveryLimit: 20,
      heartbeatSeconds: 5,
      connectionName: 'rpc-int server',
    });
    service = await NestFactory.createMicroservice(WidgetsModule, {
      strategy: new AmqpRpcServer(serverConnection, queue),
      logger: false,
    });
    await service.listen();
    clientConnection = await openConnection(prefix);
    client = new AmqpRpcClient(clientConnection, queue, 2000);
    await client.init();
  });

  afterAll(async () => {
    await service?.close();
    await serverConnection?.close();
    await clientConnection?.close();
    await deleteQueues([queue, idleQueue]);
  });

  it('answers a request with the handler result', async () => {
    await expect(client.send('widgets.echo', { n: 1, tags: ['a'] })).resolves.toEqual({ n: 1, tags: ['a'] });
  });

  it('answers many concurrent requests, each with its own reply', async () => {
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => client.send('widgets.echo', { i })));
    expect(replies).toEqual(Array.from({ length: 200 }, (_, i) => ({ i })));
  });

  it('carries the caller correlation id to the handler, with the request as causation', async () => {
    const context = (await runInMessageContext({ correlationId: 'corr-42', causationId: null }, () =>
      client.send('widgets.context', {}),
    )) as { correlationId: string; causationId: string };
    expect(context.correlationId).toBe('corr-42');
    expect(context.causationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('returns a domain error as its code, message and details', async () => {
    const error = await client.send('widgets.missing', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcRemoteError);
    expect((error as RpcRemoteError).body).toEqual({
      code: 'WIDGET_MISSING',
      message: 'no widget 7',
      details: { widgetId: 7 },
    });
  });

  it('hides the internals of an unexpected error', async () => {
    const error = await client.send('widgets.crash', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcRemoteError);
    expect((error as RpcRemoteError).body).toEqual({ code: 'INTERNAL_ERROR', message: 'internal error' });
  });

  it('answers NO_HANDLER for an unknown pattern instead of leaving the request unanswered', async () => {
    const error = await client.send('widgets.unknown', {}).catch((e: unknown) => e);
    expect((error as RpcRemoteError).body.code).toBe('NO_HANDLER');
  });

  it('times out when the reply does not come within the deadline', async () => {
    const started = Date.now();
    const error = await client.send('widgets.slow', {}, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('times out when the service queue exists but nobody consumes it', async () => {
    await clientConnection.addSetup(async (model) => {
      const channel = await model.createChannel();
      await channel.assertQueue(idleQueue, { durable: true });
      await channel.close();
    });
    const idle = new AmqpRpcClient(clientConnection, idleQueue, 300);
    await idle.init();
    await expect(idle.send('widgets.echo', {})).rejects.toBeInstanceOf(RpcTimeoutError);
  });

  it('fails at once as unavailable when no queue exists for the service', async () => {
    const nowhere = new AmqpRpcClient(clientConnection, `${prefix}never-started.rpc`, 3000);
    await nowhere.init();
    const started = Date.now();
    await expect(nowhere.send('widgets.echo', {})).rejects.toBeInstanceOf(RpcUnavailableError);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('fails at once as unavailable while the broker cannot be reached', async () => {
    const down = new AmqpConnection({
      url: 'amqp://guest:guest@127.0.0.1:1',
      prefix,
      prefetch: 1,
      rpcPrefetch: 1,
      deliveryLimit: 20,
      heartbeatSeconds: 5,
      connectionName: 'down',
    });
    const starting = down.start().catch(() => undefined);
    const offline = new AmqpRpcClient(down, queue, 3000);
    await offline.init();
    await expect(offline.send('widgets.echo', {})).rejects.toBeInstanceOf(RpcUnavailableError);
    await down.close();
    await starting;
  });
});
