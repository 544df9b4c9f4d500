import { Catch, Logger, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';
import { toRpcErrorBody } from './rpc-error-body.js';

/**
 * Nest's default RPC filter turns every non-RpcException into "Internal server error";
 * this one keeps domain errors' codes so the gateway can map them.
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger(RpcErrorFilter.name);

  catch(exception: unknown): Observable<never> {
    const body = toRpcErrorBody(exception, this.logger);
    return throwError(() => body);
  }
}
