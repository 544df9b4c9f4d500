import type { Logger } from '@nestjs/common';
import { BaseRpcContext, type Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { CommonErrorCodes, type RpcErrorBody, type RpcReply } from '@app/contracts';
import {
  ContextHeaders,
  SpanKind,
  extractTraceContext,
  inSpan,
  rpcServerDuration,
  runInMessageContext,
} from '@app/platform';
import { parseRpcRequest } from './parse-rpc-request.js';
import { toRpcErrorBody } from './rpc-error-body.js';
import { rpcDefinitionOf } from './rpc-handler.decorator.js';

/** One request as any transport received it: the body still as bytes, so every transport parses (and copies) it. */
export interface RpcRequest {
  pattern: string;
  /** Absent when the transport decoded the request itself (gRPC, protobuf): then `payload` is it. */
  body?: Buffer | string;
  payload?: unknown;
  headers: Record<string, unknown>;
  /** The transport's id of the request message: the causation id of what the handler does. */
  messageId: string | null;
  /** What the handler gets as its `@Ctx()` argument. */
  context?: BaseRpcContext;
}

/**
 * Runs the `@RpcHandler` of a request, once its definition's schema has parsed it, and answers `{ ok, data }` or
 * `{ ok: false, error: { code, message } }`: the same span, message context, metrics and error
 * mapping whatever carried the request (RabbitMQ or the in-process broker).
 */
export async function answerRpc(server: Server, request: RpcRequest, logger: Logger): Promise<RpcReply<unknown>> {
  const { pattern, headers } = request;
  const context = {
    correlationId: String(headers[ContextHeaders.correlationId] ?? request.messageId ?? ''),
    causationId: request.messageId,
  };
  const end = rpcServerDuration.startTimer();
  const reply = await inSpan(
    `RPC server ${pattern}`,
    SpanKind.SERVER,
    { 'rpc.method': pattern },
    () =>
      runInMessageContext(context, async () => {
        const answer = await dispatch(server, request, logger);
        logger.debug(`${pattern}: ${answer.ok ? 'ok' : answer.error.code}`);
        return answer;
      }),
    extractTraceContext(headers),
  );
  // An unknown pattern is client-controlled: not a label value of its own.
  const unknown = !reply.ok && reply.error.code === CommonErrorCodes.noHandler;
  end({ pattern: unknown ? 'unknown' : pattern, outcome: reply.ok ? 'ok' : 'error' });
  return reply;
}

async function dispatch(server: Server, request: RpcRequest, logger: Logger): Promise<RpcReply<unknown>> {
  // Our patterns are plain strings, their own route: a direct look-up spares Nest's
  // getRouteFromPattern, which tries JSON.parse first and throws on every such pattern.
  const handler = server.getHandlers().get(request.pattern) ?? server.getHandlerByPattern(request.pattern);
  if (!handler) {
    return fail({ code: CommonErrorCodes.noHandler, message: `no handler for pattern "${request.pattern}"` });
  }
  const definition = rpcDefinitionOf(handler);
  if (!definition) {
    logger.error(`${request.pattern} is served by a handler without an RPC definition (use @RpcHandler)`);
    return fail({ code: CommonErrorCodes.internal, message: 'internal error' });
  }
  let data: unknown = request.payload;
  try {
    if (request.body !== undefined) data = JSON.parse(request.body.toString('utf8'));
  } catch {
    return fail({ code: CommonErrorCodes.validationFailed, message: 'request body is not JSON' });
  }
  const parsed = parseRpcRequest(definition, data);
  if (!parsed.ok) return fail(parsed.error);
  try {
    const context = request.context ?? new BaseRpcContext([request.pattern]);
    const result$ = server.transformToObservable(await handler(parsed.request, context));
    return { ok: true, data: (await lastValueFrom(result$, { defaultValue: null })) ?? null };
  } catch (error) {
    return fail(toRpcErrorBody(error, logger));
  }
}

function fail(error: RpcErrorBody): RpcReply<never> {
  return { ok: false, error };
}
