// The bounded contexts must not know how they are reached: the host app wires them to RabbitMQ
// (microservices) or in-process (modular monolith). These rules read a context file's imports with
// the TypeScript parser, so aliases, renames (`import { X as Y }`), type-only and dynamic imports
// are all seen for what they are, which a regex would not.
import { posix } from 'node:path';
import ts from 'typescript';

export const CONTEXTS = ['users', 'orders'] as const;
export type Context = (typeof CONTEXTS)[number];

export type RuleName =
  'no-transport-library' | 'microservices-handler-side-only' | 'messaging-transport-neutral-only' | 'no-other-context';

export interface ContextFile {
  /** Repository-relative, POSIX separators, e.g. `libs/users/src/users.module.ts`. */
  readonly path: string;
  readonly source: string;
}

export interface Violation {
  readonly path: string;
  readonly line: number;
  readonly rule: RuleName;
  readonly specifier: string;
  readonly reason: string;
}

/** Broker and transport clients: a context that imports one has chosen its transport. */
export const TRANSPORT_LIBRARIES: readonly string[] = [
  'amqplib',
  'amqp-connection-manager',
  '@golevelup/nestjs-rabbitmq',
  'kafkajs',
  'nats',
  'ioredis',
  'redis',
  'mqtt',
  '@grpc/grpc-js',
];

/**
 * What a handler needs from @nestjs/microservices whatever the transport. Everything else there
 * (ClientProxy, ClientsModule, Transport, RmqContext, Server*...) picks or drives a transport, which
 * is the host's job; an allow-list keeps new client/server names out without having to list them.
 */
export const MICROSERVICES_HANDLER_SIDE: ReadonlySet<string> = new Set([
  'MessagePattern',
  'EventPattern',
  'Payload',
  'Ctx',
  'RpcException',
]);

const MICROSERVICES = '@nestjs/microservices';

/** Transport adapters of @app/messaging; the rest of it (subscribe, OutboxWriter, parsers...) is neutral. */
function isMessagingTransportAdapter(name: string): boolean {
  return (
    /^(amqp|inprocess)/i.test(name) ||
    /(RpcServer|RpcClient|Transport)$/.test(name) ||
    HOST_WIRING.has(name) ||
    name === 'prefixed'
  );
}

/** How a host assembles a context with its transport: the host's business, never the context's. */
const HOST_WIRING: ReadonlySet<string> = new Set([
  'serviceInfrastructure',
  'contextInfrastructure',
  'startService',
  'createInProcessContext',
  'EventsModule',
  'OutboxRelay',
]);

const MESSAGING_TRANSPORT_FOLDERS = /^libs\/messaging\/src\/(amqp|in-process)(\/|$)/;

/** `'*'` when the importer gets the whole module (namespace, `export *`, dynamic import, require). */
type Bindings = readonly string[] | '*';

interface ImportRef {
  readonly specifier: string;
  readonly bindings: Bindings;
  readonly line: number;
}

export function contextOf(path: string): Context | undefined {
  return CONTEXTS.find((context) => path.startsWith(`libs/${context}/`));
}

export function checkContextFile(file: ContextFile): Violation[] {
  const context = contextOf(file.path);
  // Throwing rather than returning [] keeps a mistyped path from passing silently.
  if (context === undefined) throw new Error(`${file.path} is not in a bounded context (libs/{${CONTEXTS}}/)`);
  return importsOf(file).flatMap((ref) =>
    violationsOf(context, file.path, ref).map((v) => ({
      path: file.path,
      line: ref.line,
      specifier: ref.specifier,
      ...v,
    })),
  );
}

export function formatViolation(v: Violation): string {
  return `${v.path}:${v.line} imports '${v.specifier}': ${v.reason} [${v.rule}]`;
}

function violationsOf(context: Context, path: string, ref: ImportRef): { rule: RuleName; reason: string }[] {
  const { specifier, bindings } = ref;
  const found: { rule: RuleName; reason: string }[] = [];
  const transportLibrary = TRANSPORT_LIBRARIES.find((lib) => specifier === lib || specifier.startsWith(`${lib}/`));
  if (transportLibrary !== undefined) {
    found.push({ rule: 'no-transport-library', reason: `${transportLibrary} is a transport client library` });
  }

  if (specifier === MICROSERVICES) {
    for (const reason of forbiddenNames(bindings, (name) => !MICROSERVICES_HANDLER_SIDE.has(name))) {
      found.push({ rule: 'microservices-handler-side-only', reason });
    }
  } else if (specifier.startsWith(`${MICROSERVICES}/`)) {
    // The handler-side names are all on the package root; a deep import is only needed for internals.
    found.push({ rule: 'microservices-handler-side-only', reason: 'deep import into @nestjs/microservices' });
  }

  const target = resolveInRepo(path, specifier);
  if (target !== undefined && MESSAGING_TRANSPORT_FOLDERS.test(target)) {
    found.push({ rule: 'messaging-transport-neutral-only', reason: `reaches into the transport folder ${target}` });
  } else if (target?.startsWith('libs/messaging/')) {
    for (const reason of forbiddenNames(bindings, isMessagingTransportAdapter)) {
      found.push({ rule: 'messaging-transport-neutral-only', reason });
    }
  }

  const other = CONTEXTS.find((c) => c !== context && target?.startsWith(`libs/${c}/`));
  if (other !== undefined) {
    found.push({ rule: 'no-other-context', reason: `the ${context} context reaches into the ${other} context` });
  }
  return found;
}

function forbiddenNames(bindings: Bindings, isForbidden: (name: string) => boolean): string[] {
  // A whole-module import cannot be checked name by name, so it is refused outright.
  if (bindings === '*') return ['whole-module import (namespace, export *, dynamic import or require)'];
  return bindings.filter(isForbidden).map((name) => `${name} is transport-side`);
}

/**
 * The repository path an import lands on, for the specifiers that stay in the repo: relative ones and
 * the `@app/<lib>` aliases (also their deep forms, which the aliases do not map but someone may try).
 */
function resolveInRepo(from: string, specifier: string): string | undefined {
  if (specifier.startsWith('./') || specifier.startsWith('../')) {
    return posix.join(posix.dirname(from), specifier);
  }
  const alias = /^@app\/([a-z-]+)(?:\/(.*))?$/.exec(specifier);
  if (alias === null) return undefined;
  const [, lib, rest] = alias;
  if (rest === undefined) return `libs/${lib}/src/index.ts`;
  return rest.startsWith('src/') ? `libs/${lib}/${rest}` : `libs/${lib}/src/${rest}`;
}

function importsOf(file: ContextFile): ImportRef[] {
  const sourceFile = ts.createSourceFile(file.path, file.source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const refs: ImportRef[] = [];
  const add = (node: ts.Node, specifier: string, bindings: Bindings): void => {
    const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
    refs.push({ specifier, bindings, line });
  };

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, importBindings(node.importClause));
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, exportBindings(node.exportClause));
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      add(node, node.moduleReference.expression.text, '*');
    } else if (ts.isCallExpression(node) && isImportOrRequire(node) && node.arguments.length > 0) {
      const [argument] = node.arguments;
      if (argument !== undefined && ts.isStringLiteralLike(argument)) add(node, argument.text, '*');
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      // `import('x').Name` in a type position: the first qualifier name is the one taken from the module.
      const bindings = node.qualifier === undefined ? '*' : [leftmost(node.qualifier)];
      add(node, node.argument.literal.text, bindings);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return refs;
}

function importBindings(clause: ts.ImportClause | undefined): Bindings {
  if (clause === undefined) return []; // side-effect import: the module itself is the offence, if any
  const names: string[] = clause.name === undefined ? [] : ['default'];
  const bindings = clause.namedBindings;
  if (bindings !== undefined && ts.isNamespaceImport(bindings)) return '*';
  // `propertyName` is the exported name when renamed (`import { ClientProxy as Bus }`).
  for (const element of bindings?.elements ?? []) names.push((element.propertyName ?? element.name).text);
  return names;
}

function exportBindings(clause: ts.NamedExportBindings | undefined): Bindings {
  if (clause === undefined || ts.isNamespaceExport(clause)) return '*';
  return clause.elements.map((element) => (element.propertyName ?? element.name).text);
}

function isImportOrRequire(call: ts.CallExpression): boolean {
  return (
    call.expression.kind === ts.SyntaxKind.ImportKeyword ||
    (ts.isIdentifier(call.expression) && call.expression.text === 'require')
  );
}

function leftmost(name: ts.EntityName): string {
  return ts.isIdentifier(name) ? name.text : leftmost(name.left);
}
