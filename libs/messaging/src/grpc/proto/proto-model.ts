import { z } from 'zod';

/** A protobuf scalar our contracts map to. */
export type ProtoScalar = 'string' | 'bool' | 'int32' | 'int64' | 'double';

/** One field of a message, as read from the zod schema of an RPC definition. */
export interface ProtoField {
  /** The name in JavaScript and JSON (camelCase), as the schema has it. */
  readonly name: string;
  readonly type: ProtoScalar | ProtoMessage;
  readonly repeated: boolean;
  /** The key may be absent (zod `.optional()`). */
  readonly optional: boolean;
  /** The value may be `null` (zod `.nullable()`): sent as absent, read back as `null`. */
  readonly nullable: boolean;
  /** A string enum's values: carried as a string, listed in the `.proto` as a comment. */
  readonly values?: readonly string[];
}

/** A message: an object schema, or `null` (an RPC answering nothing) as a message without fields. */
export interface ProtoMessage {
  readonly name: string;
  readonly fields: readonly ProtoField[];
  /** The schema is `null`: the message has no fields and reads back as `null`. */
  readonly isNull: boolean;
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
};

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * The protobuf message of a zod schema, read through zod's own JSON Schema export (its public
 * introspection). `io`: a request is what its sender writes (`input`), a response what the
 * handler returns (`output`). Supported: objects, strings, integers, numbers, booleans, string
 * enums, arrays of those, optional and nullable fields; anything else is refused by name.
 */
export function messageOf(name: string, schema: z.ZodType, io: 'input' | 'output'): ProtoMessage {
  let root: JsonSchema;
  try {
    root = z.toJSONSchema(schema, { io, unrepresentable: 'throw', cycles: 'throw', reused: 'inline' }) as JsonSchema;
  } catch (error) {
    throw new Error(`${name}: the schema has no protobuf form (${(error as Error).message})`, { cause: error });
  }
  const defs = root.$defs ?? {};
  const node = resolve(root, defs);
  const { types, nullable } = typeOf(node);
  if (types.length === 0 && nullable) return { name, fields: [], isNull: true };
  return objectMessage(name, node, defs, name);
}

function objectMessage(name: string, node: JsonSchema, defs: Record<string, JsonSchema>, path: string): ProtoMessage {
  const { types } = typeOf(node);
  if (types.length !== 1 || types[0] !== 'object') {
    throw new Error(`${path}: an RPC message must be an object schema (or null), got ${describe(node)}`);
  }
  if (typeof node.additionalProperties === 'object' || node.propertyNames) {
    throw new Error(`${path}: a map (record) has no protobuf form here, only objects with named keys`);
  }
  const required = new Set(node.required ?? []);
  const fields = Object.entries(node.properties ?? {}).map(([key, raw]) =>
    fieldOf(key, resolve(raw, defs), !required.has(key), defs, `${path}.${key}`),
  );
  return { name, fields, isNull: false };
}

function fieldOf(
  name: string,
  node: JsonSchema,
  optional: boolean,
  defs: Record<string, JsonSchema>,
  path: string,
): ProtoField {
  const { types, nullable, inner } = typeOf(node);
  if (types.length !== 1) throw new Error(`${path}: a field must have one type, got ${describe(node)}`);
  if (types[0] === 'array') {
    if (nullable) throw new Error(`${path}: a nullable list cannot be told from an empty one in protobuf`);
    const item = resolve(inner.items ?? {}, defs);
    const element = typeOf(item);
    if (element.nullable || element.types.length !== 1 || element.types[0] === 'array') {
      throw new Error(`${path}: list items must be of one non-null, non-list type, got ${describe(item)}`);
    }
    const single = fieldOf(singular(name), item, false, defs, `${path}[]`);
    return { ...single, name, repeated: true, optional, nullable: false };
  }
  const values = inner.enum?.filter((value) => value !== null);
  if (values && !values.every((value) => typeof value === 'string')) {
    throw new Error(`${path}: only string enums are supported, got ${JSON.stringify(values)}`);
  }
  return {
    name,
    type: scalarOrMessage(types[0]!, inner, name, defs, path),
    repeated: false,
    optional,
    nullable,
    ...(values ? { values: values as string[] } : {}),
  };
}

function scalarOrMessage(
  type: string,
  node: JsonSchema,
  name: string,
  defs: Record<string, JsonSchema>,
  path: string,
): ProtoScalar | ProtoMessage {
  switch (type) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return 'double';
    case 'integer': {
      // Bounds inside int32 (a page size) make an int32; otherwise int64, read back as a JS number.
      const fits = (node.minimum ?? -Infinity) >= INT32_MIN && (node.maximum ?? Infinity) <= INT32_MAX;
      return fits ? 'int32' : 'int64';
    }
    case 'object':
      return objectMessage(pascal(name), node, defs, path);
    default:
      throw new Error(`${path}: type ${type} has no protobuf form here`);
  }
}

/** The non-null types of a node, whether null is allowed, and the node carrying the rest. */
function typeOf(node: JsonSchema): { types: string[]; nullable: boolean; inner: JsonSchema } {
  const union = node.anyOf ?? node.oneOf;
  if (union) {
    const rest = union.filter((member) => !(member.type === 'null'));
    const nullable = rest.length < union.length;
    if (rest.length !== 1) return { types: rest.flatMap((member) => typeOf(member).types), nullable, inner: node };
    const member = typeOf(rest[0]!);
    return { types: member.types, nullable: nullable || member.nullable, inner: member.inner };
  }
  const declared = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
  const nullable = declared.includes('null') || (node.enum?.includes(null) ?? false);
  let types = declared.filter((type) => type !== 'null');
  if (types.length === 0 && node.enum) types = ['string'];
  return { types, nullable, inner: node };
}

function resolve(node: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema {
  if (!node.$ref) return node;
  const key = node.$ref.replace(/^#\/\$defs\//, '');
  const target = defs[key];
  if (!target) throw new Error(`unresolvable schema reference ${node.$ref}`);
  return resolve(target, defs);
}

function describe(node: JsonSchema): string {
  return JSON.stringify(node).slice(0, 120);
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** `items` → `item`, `entries` → `entry`: the name of one element's message. */
function singular(name: string): string {
  if (name.endsWith('ies')) return `${name.slice(0, -3)}y`;
  if (name.endsWith('s') && !name.endsWith('ss')) return name.slice(0, -1);
  return `${name}Item`;
}
