import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { runInMessageContext } from '@app/platform';

/**
 * Runs each request's handler inside its message context, so every RPC and log line it
 * causes carries the request's correlation id (Fastify's request id, see createHttpApp).
 */
@Injectable()
export class CorrelationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const messageContext = { correlationId: String(request.id), causationId: null };
    return new Observable((subscriber) =>
      runInMessageContext(messageContext, () => next.handle().subscribe(subscriber)),
    );
  }
}
