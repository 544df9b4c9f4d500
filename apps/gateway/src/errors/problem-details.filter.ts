import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RpcRemoteError, RpcTimeoutError, RpcUnavailableError } from '@app/messaging';
import { GatewayErrorCodes, STATUS_CODE, TITLES, remoteCodeStatus } from './error-codes.js';
import { PROBLEM_CONTENT_TYPE, problemType, type FieldError, type Problem } from './problem.js';
import { FeatureDisabledError } from '../http/feature-switches/feature-disabled.error.js';
import { RateLimitedError } from '../http/rate-limit/rate-limited.error.js';
import { RequestValidationError } from './request-validation.error.js';
import { CircuitOpenError } from '../rpc/circuit-breaker.js';

/** Fastify's own errors (body parsing, limits) carry a status and an FST_ code; Nest wraps them. */
interface FastifyError extends Error {
  statusCode?: number;
  code?: string;
}

const FASTIFY_CODES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: GatewayErrorCodes.malformedJson,
  FST_ERR_CTP_EMPTY_JSON_BODY: GatewayErrorCodes.malformedJson,
  FST_ERR_CTP_BODY_TOO_LARGE: GatewayErrorCodes.payloadTooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: GatewayErrorCodes.unsupportedMediaType,
};

/**
 * The one place where any failure becomes an HTTP answer: `application/problem+json` with a
 * stable `code`. Internals (stacks, SQL, service messages of 5xx errors) never leave here.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = this.toProblem(exception);
    problem.instance = request.url.split('?')[0];
    problem.correlationId = String(request.id);
    if (problem.status >= 500 && problem.code === GatewayErrorCodes.internal) {
      this.logger.error({ err: exception, correlationId: request.id }, 'unhandled error');
    }
    if (problem.status === 503) void reply.header('retry-after', String(retryAfterSeconds(exception)));
    if (problem.status === 401) void reply.header('www-authenticate', 'Bearer');
    if (exception instanceof RateLimitedError) void reply.header('retry-after', String(exception.retryAfterSeconds));
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof RpcRemoteError) {
      const status = remoteCodeStatus(exception.body.code);
      if (status === 503) {
        return problem(503, GatewayErrorCodes.serviceUnavailable, 'a service is unavailable, try again shortly');
      }
      if (status >= 500) return problem(500, GatewayErrorCodes.internal, 'the request could not be completed');
      const fields = (exception.body.details as { fields?: FieldError[] } | undefined)?.fields;
      return problem(status, exception.body.code, exception.body.message, fields);
    }
    if (exception instanceof RpcTimeoutError) {
      return problem(504, GatewayErrorCodes.upstreamTimeout, 'a service did not answer in time');
    }
    if (exception instanceof CircuitOpenError) {
      return problem(503, GatewayErrorCodes.serviceUnavailable, 'a service is failing, try again shortly');
    }
    if (exception instanceof RpcUnavailableError) {
      return problem(503, GatewayErrorCodes.serviceUnavailable, 'a service is unavailable, try again shortly');
    }
    if (exception instanceof FeatureDisabledError) return problem(exception.status, exception.code, exception.detail);
    if (exception instanceof RequestValidationError) {
      return problem(400, GatewayErrorCodes.validationFailed, 'the request is invalid', exception.fields);
    }
    const fastify = (exception instanceof HttpException ? exception.cause : exception) as FastifyError | undefined;
    const fastifyCode = fastify?.code ? FASTIFY_CODES[fastify.code] : undefined;
    if (fastifyCode) return problem(fastify?.statusCode ?? 400, fastifyCode, fastify?.message ?? '');
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = STATUS_CODE[status] ?? (status >= 500 ? GatewayErrorCodes.internal : `HTTP_${status}`);
      return problem(status, code, status >= 500 ? 'the request could not be completed' : exception.message);
    }
    return problem(500, GatewayErrorCodes.internal, 'the request could not be completed');
  }
}

function retryAfterSeconds(exception: unknown): number {
  if (exception instanceof FeatureDisabledError) return exception.retryAfterSeconds;
  return exception instanceof CircuitOpenError ? Math.max(1, Math.ceil(exception.retryAfterMs / 1000)) : 1;
}

function problem(status: number, code: string, detail: string, errors?: FieldError[]): Problem {
  return {
    type: problemType(code),
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}
