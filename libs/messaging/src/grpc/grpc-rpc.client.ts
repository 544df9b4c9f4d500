import { randomUUID } from 'node:crypto';
import { Client, Metadata, credentials, status as Status, type ServiceError } from '@grpc/grpc-js';
import { CommonErrorCodes, type AnyRpcDefinition, type RpcService } from '@app/contracts';
import { RpcClient, inClientSpan, rpcRequestHeaders, type RpcCallOptions } from '../rpc/rpc-client.js';
import { RpcRemoteError, RpcTimeoutError, RpcUnavailableError } from '../rpc/rpc-errors.js';
import { GrpcMetadata } from './grpc-metadata.js';
import { errorBodyOf, hasOurCode } from './grpc-status.js';
import { fromWire, loadServiceWire, toWire, type GrpcServiceWire } from './grpc-wire.js';

export interface GrpcClientOptions {
  service: RpcService;
  /** The RPC definitions; those of `service` can be called. */
  definitions: readonly AnyRpcDefinition[];
  /** The `.proto` to load; default the service's committed one (libs/contracts/proto). */
  protoPath?: string;
  /** `dns:///users:50051` (every address of the name, round robin), or `127.0.0.1:50051`. */
  target: string;
  /** Deadline of a call that sets none. */
  defaultTimeoutMs: number;
  /**
   * Shortest time between two DNS look-ups of the target (grpc-js re-resolves when a connection
   * drops, e.g. at the server's max connection age); default grpc-js's 30 s.
   */
  minResolutionIntervalMs?: number;
}

/**
 * RPC over gRPC, one channel per target: round robin over every address the target's DNS name
 * has (a Kubernetes headless Service's pods), keepalive pings so a dead peer is noticed, and no
 * waiting for a connection (`waitForReady` false): with no replica to reach, a call fails
 * UNAVAILABLE at once and the gateway's breaker sees it. The call's timeout is its gRPC deadline;
 * the correlation id, causation id and trace context travel as metadata.
 */
export class GrpcRpcClient extends RpcClient {
  private readonly wire: GrpcServiceWire;
  private readonly channel: Client;
  private closed = false;

  constructor(private readonly options: GrpcClientOptions) {
    super();
    this.wire = loadServiceWire(options.service, options.definitions, options.protoPath);
    this.channel = new Client(options.target, credentials.createInsecure(), {
      'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
      // channelz: per-call counters and traces for a debugging service nobody queries.
      'grpc.enable_channelz': 0,
      'grpc.keepalive_time_ms': 20_000,
      'grpc.keepalive_timeout_ms': 5_000,
      'grpc.keepalive_permit_without_calls': 1,
      // A replica back after a restart is reconnected within seconds, not grpc-js's two minutes.
      'grpc.max_reconnect_backoff_ms': 5_000,
      ...(options.minResolutionIntervalMs === undefined
        ? {}
        : { 'grpc.dns_min_time_between_resolutions_ms': options.minResolutionIntervalMs }),
    });
  }

  /** The channel makes no promise before a call: readiness is each call's answer (see grpcGatewayTransport). */
  get isReady(): boolean {
    return !this.closed;
  }

  send(pattern: string, request: unknown, options: RpcCallOptions = {}): Promise<unknown> {
    return inClientSpan(pattern, this.options.target, () => this.unary(pattern, request, options));
  }

  close(): void {
    this.closed = true;
    this.channel.close();
  }

  private unary(pattern: string, request: unknown, options: RpcCallOptions): Promise<unknown> {
    const method = this.wire.methods.get(pattern);
    if (!method) {
      return Promise.reject(
        new RpcRemoteError({
          code: CommonErrorCodes.noHandler,
          message: `${this.wire.fullName} has no RPC ${pattern}`,
        }),
      );
    }
    if (this.closed) return Promise.reject(new RpcUnavailableError(this.options.target, 'client closed'));
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs;
    const requestId = randomUUID();
    const metadata = metadataOf(rpcRequestHeaders(requestId));
    metadata.set(GrpcMetadata.requestId, requestId);
    const deadline = Date.now() + timeoutMs;
    const attempt = (refusalsLeft: number): Promise<unknown> =>
      new Promise<unknown>((resolve, reject) => {
        this.channel.makeUnaryRequest(
          method.method.path,
          method.method.requestSerialize,
          method.method.responseDeserialize,
          toWire(request),
          metadata,
          { deadline },
          (error, response) => {
            if (!error) resolve(fromWire(method.response, response));
            // Refused by the server's HTTP/2 layer (a connection closing at its max age): the call
            // never reached a handler, so sending it again is safe for a command too. grpc-js
            // retries such a call once by itself; two connections aging together can refuse twice.
            else if (refusedStream(error) && refusalsLeft > 0 && Date.now() < deadline) {
              resolve(attempt(refusalsLeft - 1));
            } else reject(this.errorOf(error, pattern, timeoutMs));
          },
        );
      });
    return attempt(REFUSED_STREAM_RETRIES);
  }

  private errorOf(error: ServiceError, pattern: string, timeoutMs: number): Error {
    if (hasOurCode(error)) return new RpcRemoteError(errorBodyOf(error));
    if (error.code === Status.DEADLINE_EXCEEDED) return new RpcTimeoutError(pattern, timeoutMs);
    // No server answered: refused, no address, connection lost before the answer.
    if (error.code === Status.UNAVAILABLE) return new RpcUnavailableError(this.options.target, error.details);
    return new RpcRemoteError(errorBodyOf(error));
  }
}

/** Extra attempts for a call the server refused before any handler saw it, beyond grpc-js's own one. */
const REFUSED_STREAM_RETRIES = 2;

/** grpc-js reports an HTTP/2 REFUSED_STREAM as UNAVAILABLE with these details, and nothing else so. */
function refusedStream(error: ServiceError): boolean {
  return error.code === Status.UNAVAILABLE && error.details === 'Stream refused by server' && !hasOurCode(error);
}

/** The request headers as gRPC metadata: only the string ones (a null causation id is left out). */
function metadataOf(headers: Record<string, unknown>): Metadata {
  const metadata = new Metadata();
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string' && value !== '') metadata.set(name, value);
  }
  return metadata;
}
