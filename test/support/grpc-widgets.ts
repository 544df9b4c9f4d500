import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Inject, Module, UseFilters, type DynamicModule, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, MessagePattern, Payload, type BaseRpcContext } from '@nestjs/microservices';
import { context as otelContext, trace } from '@opentelemetry/api';
import type { Metadata } from '@grpc/grpc-js';
import { z } from 'zod';
import { defineRpc, type AnyRpcDefinition } from '@app/contracts';
import { DomainError, ValidationFailedError } from '@app/ddd';
import { GrpcRpcServer, RpcErrorFilter, protoSourceOf } from '@app/messaging';
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

export const WIDGET_DEFINITIONS: readonly AnyRpcDefinition[] = [
  defineRpc({
    service: 'users',
    name: 'widgets.echo',
    grpcMethod: 'Echo',
    request: echo,
    response: echo,
    idempotent: true,
  }),
  defineRpc({
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
  }),
  defineRpc({
    service: 'users',
    name: 'widgets.fail',
    grpcMethod: 'Fail',
    request: z.object({ code: z.string() }),
    response: z.null(),
    idempotent: false,
  }),
  defineRpc({
    service: 'users',
    name: 'widgets.place',
    grpcMethod: 'Place',
    request: z.object({ widgetId: z.uuid(), items: z.array(z.object({ sku: z.string().min(1) })) }),
    response: z.object({ widgetId: z.string() }),
    idempotent: false,
  }),
  defineRpc({
    service: 'users',
    name: 'widgets.slow',
    grpcMethod: 'Slow',
    request: z.object({ ms: z.int().min(0) }),
    response: z.object({ done: z.boolean() }),
    idempotent: true,
  }),
];

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

  @MessagePattern('widgets.echo')
  echo(@Payload() payload: unknown): unknown {
    return payload;
  }

  @MessagePattern('widgets.context')
  context(@Ctx() ctx: BaseRpcContext): unknown {
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

  @MessagePattern('widgets.fail')
  fail(@Payload() payload: { code: string }): never {
    if (payload.code === 'CRASH') throw new Error('SELECT * FROM secrets failed');
    throw new CodedError(payload.code, `failed with ${payload.code}: ünïcode`, { reason: 'test', n: 1 });
  }

  /** Parses its request with the definition's schema, as the server's one parse at its edge does. */
  @MessagePattern('widgets.place')
  place(@Payload() payload: unknown): unknown {
    const parsed = WIDGET_DEFINITIONS[3]!.request.safeParse(payload);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message }));
      throw new ValidationFailedError(fields.map((f) => `${f.field} ${f.message}`).join('; '), { fields });
    }
    return { widgetId: (parsed.data as { widgetId: string }).widgetId };
  }

  @MessagePattern('widgets.slow')
  async slow(@Payload() payload: { ms: number }): Promise<unknown> {
    await new Promise((resolve) => setTimeout(resolve, payload.ms));
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
