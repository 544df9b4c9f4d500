import {
  Server as GrpcServer,
  ServerCredentials,
  type Metadata,
  type ServerUnaryCall,
  type UntypedServiceImplementation,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import { Logger } from '@nestjs/common';
import { BaseRpcContext, Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { AnyRpcDefinition, RpcService } from '@app/contracts';
import { ContextHeaders } from '@app/platform';
import { InFlight } from '../in-flight.js';
import { answerRpc } from '../rpc/rpc-dispatch.js';
import { GrpcMetadata } from './grpc-metadata.js';
import { statusOf } from './grpc-status.js';
import { fromWire, loadServiceWire, toWire, type GrpcMethod, type GrpcServiceWire } from './grpc-wire.js';

export interface GrpcServerOptions {
  service: RpcService;
  /** The RPC definitions; those of `service` are served. */
  definitions: readonly AnyRpcDefinition[];
  /** The `.proto` to load; default the service's committed one (libs/contracts/proto). */
  protoPath?: string;
  host: string;
  /** 0: any free port (tests); see `port` once listening. */
  port: number;
  /**
   * A connection is closed (GOAWAY) after this long, its calls given `maxConnectionAgeMs` more
   * to finish: clients then reconnect through DNS and spread over the replicas there are now.
   */
  maxConnectionAgeMs: number;
}

/** How long answers given during a drain get to leave before the remaining streams are cut. */
const ANSWER_FLUSH_MS = 1000;

/** The `grpc.health.v1` name of the whole server; each service also has its own. */
const WHOLE_SERVER = '';

/**
 * Serves the `@MessagePattern` handlers of one app as its gRPC service (`user.UserService`):
 * each call runs through `answerRpc`, the same span, message context, metrics, actor check and
 * error mapping as over RabbitMQ; an error answers a gRPC status with our code in the trailers.
 * Also serves `grpc.health.v1` (SERVING once listening, which `startService` does only after the
 * dependency gate opened; NOT_SERVING when draining) and server reflection, so `grpcurl` can
 * list and call it. `close()` drains: no new calls, the ones in hand answered.
 */
export class GrpcRpcServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(GrpcRpcServer.name);
  private readonly inFlight = new InFlight();
  private readonly health = new HealthImplementation();
  private server: GrpcServer | null = null;
  private boundPort: number | null = null;
  private wire: GrpcServiceWire | null = null;

  constructor(private readonly options: GrpcServerOptions) {
    super();
  }

  /** The port bound, once listening. */
  get port(): number | null {
    return this.boundPort;
  }

  listen(callback: (err?: unknown) => void): void {
    this.start().then(() => callback(), callback);
  }

  /**
   * Stops taking calls (health NOT_SERVING, listener closed, GOAWAY on each connection) and
   * waits for the calls in hand to be answered. Streams that never end by themselves (health
   * watches) would hold the graceful shutdown forever: once our calls are answered and their
   * answers had a moment to leave, what is left is cut.
   */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    this.setHealth('NOT_SERVING');
    const shutDown = new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    await this.inFlight.settled();
    const flushed = new Promise<void>((resolve) => setTimeout(resolve, ANSWER_FLUSH_MS).unref());
    await Promise.race([shutDown, flushed]);
    server.forceShutdown();
  }

  on(): never {
    throw new Error('GrpcRpcServer does not emit events');
  }

  unwrap<T>(): T {
    return this.server as T;
  }

  private async start(): Promise<void> {
    const { host, port, maxConnectionAgeMs } = this.options;
    const wire = loadServiceWire(this.options.service, this.options.definitions, this.options.protoPath);
    this.wire = wire;
    // channelz stays on here (unlike the client): grpc-js 1.14 tracks the sessions forceShutdown
    // destroys only through channelz's session handler, so without it close() could not cut the
    // health watches and the drain waited (the drain test timed out).
    const server = new GrpcServer({
      'grpc.max_connection_age_ms': maxConnectionAgeMs,
      'grpc.max_connection_age_grace_ms': maxConnectionAgeMs,
    });
    server.addService(wire.service, this.implementation(wire));
    this.setHealth('NOT_SERVING');
    this.health.addToServer(server);
    // Reflection of our service and of the health service, so grpcurl can call both.
    new ReflectionService({ ...loadSync(healthProtoPath), ...wire.packageDefinition }).addToServer(server);
    const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(address, ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    this.server = server;
    this.setHealth('SERVING');
    this.logger.log(`serving ${wire.fullName} on ${host}:${this.boundPort}`);
  }

  private implementation(wire: GrpcServiceWire): UntypedServiceImplementation {
    const handlers: UntypedServiceImplementation = {};
    for (const method of wire.methods.values()) {
      handlers[method.definition.grpcMethod] = (
        call: ServerUnaryCall<unknown, unknown>,
        done: sendUnaryData<unknown>,
      ) => void this.inFlight.track(this.answer(method, call, done));
    }
    return handlers;
  }

  private async answer(
    method: GrpcMethod,
    call: ServerUnaryCall<unknown, unknown>,
    done: sendUnaryData<unknown>,
  ): Promise<void> {
    const pattern = method.definition.name;
    const headers = headersOf(call.metadata);
    const reply = await answerRpc(
      this,
      {
        pattern,
        payload: fromWire(method.request, call.request),
        headers,
        messageId: firstString(call.metadata, GrpcMetadata.requestId),
        context: new BaseRpcContext([pattern, call.metadata]),
      },
      this.logger,
    );
    if (reply.ok) done(null, toWire(reply.data));
    else done(statusOf(reply.error));
  }

  private setHealth(status: 'SERVING' | 'NOT_SERVING'): void {
    this.health.setStatus(WHOLE_SERVER, status);
    if (this.wire) this.health.setStatus(this.wire.fullName, status);
  }
}

/** The context headers a call carried, under the names `answerRpc` reads (as AMQP headers carry them). */
function headersOf(metadata: Metadata): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  for (const name of [ContextHeaders.correlationId, ContextHeaders.causationId, ...GrpcMetadata.traceContext]) {
    const value = firstString(metadata, name);
    if (value !== null) headers[name] = value;
  }
  return headers;
}

function firstString(metadata: Metadata, name: string): string | null {
  const [value] = metadata.get(name);
  return typeof value === 'string' ? value : null;
}
