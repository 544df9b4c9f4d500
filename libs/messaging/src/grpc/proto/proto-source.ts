import { GrpcServices, type AnyRpcDefinition, type RpcService } from '@app/contracts';
import { messageOf, type ProtoField, type ProtoMessage } from './proto-model.js';
import { readProtoLock, type LockedMessage, type ProtoLock } from './proto-lock.js';

/** The package and service of an RPC service's gRPC service (`user`, `UserService`). */
export function grpcNamesOf(service: RpcService): { packageName: string; serviceName: string; fullName: string } {
  const fullName = GrpcServices[service];
  const dot = fullName.lastIndexOf('.');
  return { packageName: fullName.slice(0, dot), serviceName: fullName.slice(dot + 1), fullName };
}

/** The request and response messages of one definition. */
export function messagesOf(definition: AnyRpcDefinition): { request: ProtoMessage; response: ProtoMessage } {
  return {
    request: messageOf(`${definition.grpcMethod}Request`, definition.request, 'input'),
    response: messageOf(`${definition.grpcMethod}Response`, definition.response, 'output'),
  };
}

/**
 * The `.proto` of one service's RPCs, numbered from `committed` (the file as it is now, or
 * null for a first one): a field keeps its number whatever the order of the schema's keys; a
 * new field takes the next number never used in its message; a removed field, or one whose type
 * changed, leaves its number reserved. Fields are written in number order, so reordering a
 * schema's keys changes nothing.
 */
export function protoSourceOf(
  service: RpcService,
  definitions: readonly AnyRpcDefinition[],
  committed: string | null,
): string {
  const { packageName, serviceName } = grpcNamesOf(service);
  const own = definitions.filter((definition) => definition.service === service);
  if (own.length === 0) throw new Error(`no RPC definitions for service ${service}`);
  const lock = committed ? readProtoLock(committed) : new Map<string, LockedMessage>();
  const lines = [
    '// Generated from the RPC definitions in libs/contracts by `npm run protos`: do not edit.',
    '// This file is also the lock of the wire format: regenerating keeps every field number in it.',
    'syntax = "proto3";',
    '',
    `package ${packageName};`,
    '',
    `service ${serviceName} {`,
    ...own.flatMap((definition) => [
      `  // ${definition.name}${definition.idempotent ? ' (a query: safe to retry)' : ''}`,
      `  rpc ${definition.grpcMethod} (${definition.grpcMethod}Request) returns (${definition.grpcMethod}Response);`,
    ]),
    '}',
  ];
  for (const definition of own) {
    const { request, response } = messagesOf(definition);
    lines.push('', ...renderMessage(request, request.name, lock, ''));
    lines.push('', ...renderMessage(response, response.name, lock, ''));
  }
  return `${lines.join('\n')}\n`;
}

function renderMessage(message: ProtoMessage, path: string, lock: ProtoLock, indent: string): string[] {
  const numbered = numberFields(message, lock.get(path));
  const nested = message.fields.flatMap((field) =>
    typeof field.type === 'string'
      ? []
      : ['', ...renderMessage(field.type, `${path}.${field.type.name}`, lock, `${indent}  `)],
  );
  const body = [
    ...(message.isNull ? [`${indent}  // Empty: the RPC answers null.`] : []),
    ...numbered.fields.map(
      ({ field, number, declaration }) =>
        `${indent}  ${declaration} ${snakeCase(field.name)} = ${number};${commentOf(field)}`,
    ),
    ...(numbered.reservedNumbers.length > 0 ? [`${indent}  reserved ${numbered.reservedNumbers.join(', ')};`] : []),
    ...(numbered.reservedNames.length > 0
      ? [`${indent}  reserved ${numbered.reservedNames.map((name) => `"${name}"`).join(', ')};`]
      : []),
    ...nested,
  ];
  return [`${indent}message ${message.name} {`, ...body, `${indent}}`];
}

interface NumberedField {
  field: ProtoField;
  number: number;
  declaration: string;
}

function numberFields(
  message: ProtoMessage,
  locked: LockedMessage | undefined,
): { fields: NumberedField[]; reservedNumbers: number[]; reservedNames: string[] } {
  const taken = new Set([...(locked?.fields.values() ?? [])].map((field) => field.number));
  for (const n of locked?.reservedNumbers ?? []) taken.add(n);
  let next = Math.max(0, ...taken) + 1;
  const kept = new Set<string>();
  const fields = message.fields.map((field) => {
    const name = snakeCase(field.name);
    const declaration = declarationOf(field);
    const before = locked?.fields.get(name);
    if (before && before.declaration === declaration) {
      kept.add(name);
      return { field, number: before.number, declaration };
    }
    return { field, number: next++, declaration };
  });
  const present = new Set(message.fields.map((field) => snakeCase(field.name)));
  const retired = [...(locked?.fields ?? [])].filter(([name]) => !kept.has(name));
  const reservedNumbers = [...(locked?.reservedNumbers ?? []), ...retired.map(([, field]) => field.number)];
  const reservedNames = [...(locked?.reservedNames ?? []), ...retired.map(([name]) => name)].filter(
    (name) => !present.has(name),
  );
  return {
    fields: fields.sort((a, b) => a.number - b.number),
    reservedNumbers: [...new Set(reservedNumbers)].sort((a, b) => a - b),
    reservedNames: [...new Set(reservedNames)].sort(),
  };
}

/** `repeated Item`, `optional int64`: a message field has presence without `optional`. */
function declarationOf(field: ProtoField): string {
  const type = typeof field.type === 'string' ? field.type : field.type.name;
  if (field.repeated) return `repeated ${type}`;
  const presence = typeof field.type === 'string' && (field.optional || field.nullable);
  return presence ? `optional ${type}` : type;
}

function commentOf(field: ProtoField): string {
  const notes = [
    ...(field.values ? [`one of: ${field.values.join(', ')}`] : []),
    ...(field.nullable ? ['absent means null'] : []),
  ];
  return notes.length > 0 ? ` // ${notes.join('; ')}` : '';
}

/**
 * `creditLimitCents` → `credit_limit_cents`: protobuf's style, and what proto-loader turns back
 * into the same camelCase key. A name that would not come back the same is refused.
 */
export function snakeCase(name: string): string {
  const snake = name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  const back = snake.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
  if (back !== name || !/^[a-z][a-z0-9_]*$/.test(snake)) {
    throw new Error(`field ${name}: not a camelCase name protobuf can carry unchanged`);
  }
  return snake;
}
