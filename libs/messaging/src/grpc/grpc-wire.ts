import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { loadSync, type Options, type PackageDefinition } from '@grpc/proto-loader';
import type { AnyRpcDefinition, RpcService } from '@app/contracts';
import type { ProtoField, ProtoMessage } from './proto/proto-model.js';
import { protoPathOf } from './proto/proto-files.js';
import { grpcNamesOf, messagesOf } from './proto/proto-source.js';

/**
 * How messages are read: camelCase keys (the contract's), 64-bit integers as JS numbers (our
 * integers are safe integers), every scalar field present with its default, so `0`, `""` and
 * `false` are not lost; only `optional` fields may be absent.
 */
const LOADER_OPTIONS: Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  arrays: true,
  oneofs: false,
};

/** One RPC as the gRPC transport carries it: its definition, method and message shapes. */
export interface GrpcMethod {
  readonly definition: AnyRpcDefinition;
  readonly method: MethodDefinition<unknown, unknown>;
  readonly request: ProtoMessage;
  readonly response: ProtoMessage;
}

/** A service's gRPC form: its package definition (for reflection too) and its methods by RPC name. */
export interface GrpcServiceWire {
  readonly fullName: string;
  readonly packageDefinition: PackageDefinition;
  readonly service: ServiceDefinition;
  readonly methods: ReadonlyMap<string, GrpcMethod>;
}

/**
 * Loads the committed `.proto` of `service` and pairs each of its definitions with its method.
 * A definition the file does not serve (the file was not regenerated) stops the start here.
 */
export function loadServiceWire(
  service: RpcService,
  definitions: readonly AnyRpcDefinition[],
  protoPath: string = protoPathOf(service),
): GrpcServiceWire {
  const { fullName } = grpcNamesOf(service);
  const packageDefinition = loadSync(protoPath, LOADER_OPTIONS);
  const grpcService = packageDefinition[fullName] as ServiceDefinition | undefined;
  if (!grpcService) throw new Error(`${protoPath} has no service ${fullName}`);
  const methods = new Map<string, GrpcMethod>();
  for (const definition of definitions.filter((candidate) => candidate.service === service)) {
    const method = grpcService[definition.grpcMethod];
    if (!method) {
      throw new Error(`${fullName} has no method ${definition.grpcMethod} (${definition.name}): run npm run protos`);
    }
    methods.set(definition.name, { definition, method, ...messagesOf(definition) });
  }
  return { fullName, packageDefinition, service: grpcService, methods };
}

/**
 * A decoded message as the contract has it: a nullable field that arrived absent is `null`
 * again, an optional one stays absent; a message answering nothing is `null`.
 */
export function fromWire(message: ProtoMessage, value: unknown): unknown {
  if (message.isNull) return null;
  const source = (value ?? {}) as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const field of message.fields) {
    const read = readField(field, source[field.name]);
    if (read !== undefined) result[field.name] = read;
  }
  return result;
}

function readField(field: ProtoField, value: unknown): unknown {
  const nested = typeof field.type === 'string' ? null : field.type;
  if (field.repeated) {
    const items = Array.isArray(value) ? value : [];
    return nested ? items.map((item) => fromWire(nested, item)) : items;
  }
  if (value === undefined || value === null) {
    if (field.nullable && !field.optional) return null;
    if (field.optional) return undefined;
    // A required message left out: null, so the request's parse names the field.
    return nested ? null : value;
  }
  return nested ? fromWire(nested, value) : value;
}

/**
 * What is encoded: the JSON the other transports would carry (dates as ISO strings, `toJSON`
 * applied, `undefined` dropped), so a field reads the same over gRPC as over RabbitMQ.
 */
export function toWire(value: unknown): unknown {
  return value === null || value === undefined ? {} : JSON.parse(JSON.stringify(value));
}
