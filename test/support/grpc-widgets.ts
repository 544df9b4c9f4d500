import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Inject, Module, UseFilters, type DynamicModule, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, Payload, type BaseRpcContext } from '@nestjs/microservices';
import { context as otelContext, trace } from '@opentelemetry/api';
import type { Metadata } from '@grpc/grpc-js';
import { z } from 'zod';
import { defineRpc, type AnyRpcDefinition, type RpcResponseOf } from '@app/contracts';
import { DomainError } from '@app/ddd';
import { RpcErrorFilter, RpcHandler } from '@app/messaging';
import { GrpcRpcServer, protoSourceOf } from '@app/messaging/grpc';
import { currentMessageContext } from '@app/platform';

const REPLICA = Symbol('REPLICA');

/*
 * A test-only gRPC service: its own definitions (under the users service's gRPC name, with a
 * .proto generated into a temporary directory), and a Nest app serving them with GrpcRpcServer.
 */

const echo = z.object({
  n: z.int(),
  big: z.int().min(0),
  tags: z.array(z.string()),
  note: z.string().nullable(),
  label: z.string().optional(),
  parts: z.array(z.object({ sku: z.string(), quantity: z.int().min(1).max(100) })),
});

const echoRpc = defineRpc({
  service: 'users',
  name: 'widgets.echo',
  grpcMethod: 'Echo',
  request: echo,
  response: echo,
  idempotent: true,
});
const contextRpc = defineRpc({
  service: 'users',
  name: 'widgets.context',
  grpcMethod: 'Context',
  request: z.object({}),
  response: z.object({
    correlationId: z.string(),
    causationId: z.string().nullable(),
    traceparent: z.string(),
    traceId: z.string().nullable(),
    replica: z.string(),
  }),
  idempotent: true,
});
const failRpc = defineRpc({
  service: 'users',
  name: 'widgets.fail',
  grpcMethod: 'Fail',
  request: z.object({ code: z.string() }),
  response: z.null(),
  idempotent: false,
});
const placeRpc = defineRpc({
  service: 'users',
  name: 'widgets.place',
  grpcMethod: 'Place',
  request: z.object({ widgetId: z.uuid(), items: z.array(z.object({ sku: z.string().min(1) })) }),
  response: z.object({ widgetId: z.string() }),
  idempotent: false,
});
const slowRpc = defineRpc({
  service: 'users',
  name: 'widgets.slow',
  grpcMethod: 'Slow',
  request: z.object({ ms: z.int().min(0) }),
  response: z.object({ done: z.boolean() }),
  idempotent: true,
});

export const WIDGET_DEFINITIONS: readonly AnyRpcDefinition[] = [echoRpc, contextRpc, failRpc, placeRpc, slowRpc];

/** The widgets' .proto, written to a fresh temporary directory. */
export function writeWidgetsProto(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'grpc-widgets-')), 'user.proto');
  writeFileSync(path, protoSourceOf('users', WIDGET_DEFINITIONS, null));
  return path;
}

class CodedError extends DomainError {
  constructor(
    readonly code: string,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(message, details);
  }
}

@Controller()
@UseFilters(RpcErrorFilter)
class WidgetsRpcController {
  constructor(@Inject(REPLICA) private readonly replica: string) {}

  @RpcHandler(echoRpc)
  echo(@Payload() request: z.infer<typeof echo>): z.infer<typeof echo> {
    return request;
  }

  @RpcHandler(contextRpc)
  context(@Payload() _request: object, @Ctx() ctx: BaseRpcContext): RpcResponseOf<typeof contextRpc> {
    const message = currentMessageContext();
    const metadata = ctx.getArgByIndex(1) as Metadata;
    return {
      traceparent: String(metadata.get('traceparent')[0] ?? ''),
      correlationId: message?.correlationId ?? '',
      causationId: message?.causationId ?? null,
      traceId: trace.getSpanContext(otelContext.active())?.traceId ?? null,
      replica: this.replica,
    };
  }

  @RpcHandler(failRpc)
  fail(@Payload() request: { code: string }): never {
    if (request.code === 'CRASH') throw new Error('SELECT * FROM secrets failed');
    throw new CodedError(request.code, `failed with ${request.code}: ünïcode`, { reason: 'test', n: 1 });
  }

  /** Reached only with a valid request: the dispatch parses it with the definition's schema first. */
  @RpcHandler(placeRpc)
  place(@Payload() request: { widgetId: string }): { widgetId: string } {
    return { widgetId: request.widgetId };
  }

  @RpcHandler(slowRpc)
  async slow(@Payload() request: { ms: number }): Promise<{ done: boolean }> {
    await new Promise((resolve) => setTimeout(resolve, request.ms));
    return { done: true };
  }
}

@Module({})
class WidgetsModule {
  static forReplica(replica: string): DynamicModule {
    return {
      module: WidgetsModule,
      controllers: [WidgetsRpcController],
      providers: [{ provide: REPLICA, useValue: replica }],
    };
  }
}

/** A widgets replica listening on host:port (port 0: any free one). */
export async function startWidgets(options: {
  protoPath: string;
  host?: string;
  port?: number;
  replica?: string;
  maxConnectionAgeMs?: number;
}): Promise<{ app: INestMicroservice; server: GrpcRpcServer }> {
  const server = new GrpcRpcServer({
    service: 'users',
    definitions: WIDGET_DEFINITIONS,
    protoPath: options.protoPath,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    maxConnectionAgeMs: options.maxConnectionAgeMs ?? 30_000,
  });
  const app = await NestFactory.createMicroservice(WidgetsModule.forReplica(options.replica ?? 'widgets'), {
    strategy: server,
    logger: false,
  });
  await app.listen();
  return { app, server };
}
