import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { requestSpanOf, runInMessageContext, withSpan } from '@app/platform';
import { runWithArrival } from './request-deadline.js';

/**
 * Runs each request's handler inside its message context and its trace span, so every RPC
 * and log line it causes carries the request's correlation id (Fastify's request id, see
 * createHttpApp) and trace, and knows when the request arrived: its RPCs share one deadline.
 */
@Injectable()
export class CorrelationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const messageContext = { correlationId: String(request.id), causationId: null };
    const receivedAt = Date.now() - context.switchToHttp().getResponse<FastifyReply>().elapsedTime;
    const span = requestSpanOf(request);
    return new Observable((subscriber) => {
      const run = () =>
        runWithArrival(receivedAt, () =>
          runInMessageContext(messageContext, () => next.handle().subscribe(subscriber)),
        );
      return span ? withSpan(span, run) : run();
    });
  }
}
