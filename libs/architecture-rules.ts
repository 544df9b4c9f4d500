// Where a file may reach, decided by the folder it sits in and the folder it imports. Imports are read
// by the TypeScript compiler (its pre-processor and parser), so aliases, renames (`import { X as Y }`),
// type-only, dynamic and `require` imports are all seen for what they are, and comments are not.
//
// libs/messaging/src holds transport-neutral folders (rpc, events, outbox, inbox, auth), one folder per
// transport and the host wiring. Neutral folders know no transport; a transport knows neutral folders
// only; the host knows both. A bounded context sees `@app/messaging` (the neutral folders) and nothing
// else of it, and never a transport library.
import { posix } from 'node:path';
import ts from 'typescript';

export const CONTEXTS = ['users', 'orders', 'payments'] as const;
/** Each has its own entry `@app/messaging/<folder>`; `grpc` counts even before it exists. */
export const TRANSPORT_FOLDERS: readonly string[] = ['amqp', 'in-process', 'grpc'];
export const HOST_FOLDER = 'host';
const MESSAGING = 'libs/messaging/src/';

export type RuleName =
  | 'no-transport-library'
  | 'microservices-handler-side-only'
  | 'context-sees-messaging-root-only'
  | 'no-other-context'
  | 'neutral-knows-no-transport'
  | 'transport-knows-only-neutral'
  | 'messaging-root-index-neutral-only'
  | 'messaging-through-its-entries';

export interface SourceFile {
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

/** Broker and transport clients: importing one chooses a transport, which only a transport folder or the host may. */
const TRANSPORT_LIBRARY =
  /^(amqplib|amqp-connection-manager|@golevelup\/nestjs-rabbitmq|kafkajs|nats|ioredis|redis|mqtt|@grpc\/[^/]+)(\/|$)/;

/**
 * What a handler needs from @nestjs/microservices whatever the transport. Everything else there
 * (ClientProxy, ClientsModule, Transport, RmqContext, Server*...) picks or drives a transport; an
 * allow-list keeps new client/server names out without having to list them.
 */
const MICROSERVICES_HANDLER_SIDE = new Set(['MessagePattern', 'EventPattern', 'Payload', 'Ctx', 'RpcException']);
const MICROSERVICES = '@nestjs/microservices';

/** The import specifiers through which code outside libs/messaging reaches it. */
export const MESSAGING_ENTRIES: readonly string[] = [
  '@app/messaging',
  ...[...TRANSPORT_FOLDERS, HOST_FOLDER].map((folder) => `@app/messaging/${folder}`),
];

type FolderKind = 'neutral' | 'transport' | 'host';
type Area = FolderKind | 'context' | 'root-index' | 'elsewhere';

/** `'*'` when the importer gets the whole module (namespace, `export *`, dynamic import, require). */
type Bindings = readonly string[] | '*';

interface ImportRef {
  readonly specifier: string;
  readonly bindings: Bindings;
  readonly line: number;
}

export function contextOf(path: string): string | undefined {
  return CONTEXTS.find((context) => path.startsWith(`libs/${context}/`));
}

/** The libs/messaging/src folder a path lies in (`''` for the root files), or undefined outside it. */
export function messagingFolderOf(path: string): string | undefined {
  if (!path.startsWith(MESSAGING)) return undefined;
  const rest = path.slice(MESSAGING.length);
  return rest.includes('/') ? rest.slice(0, rest.indexOf('/')) : '';
}

/** Root files other than the index (`in-flight.ts`) are neutral helpers, like the neutral folders. */
function kindOf(folder: string): FolderKind {
  if (TRANSPORT_FOLDERS.includes(folder)) return 'transport';
  return folder === HOST_FOLDER ? 'host' : 'neutral';
}

function areaOf(path: string): Area {
  if (contextOf(path) !== undefined) return 'context';
  const folder = messagingFolderOf(path);
  if (folder === undefined) return 'elsewhere';
  return /^index\.[jt]s$/.test(path.slice(MESSAGING.length)) ? 'root-index' : kindOf(folder);
}

export function checkFile(file: SourceFile): Violation[] {
  // Throwing rather than returning [] keeps a mistyped path from passing silently.
  if (!/^(apps|libs|test)\/[^\\]+\.ts$/.test(file.path)) throw new Error(`${file.path} is not a repository .ts path`);
  return importsOf(file).flatMap((ref) =>
    violationsOf(file.path, ref).map((v) => ({ path: file.path, line: ref.line, specifier: ref.specifier, ...v })),
  );
}

export function formatViolation(v: Violation): string {
  return `${v.path}:${v.line} imports '${v.specifier}': ${v.reason} [${v.rule}]`;
}

function violationsOf(path: string, { specifier, bindings }: ImportRef): { rule: RuleName; reason: string }[] {
  const area = areaOf(path);
  const found: { rule: RuleName; reason: string }[] = [];
  const refuse = (rule: RuleName, reason: string): void => void found.push({ rule, reason });

  if (TRANSPORT_LIBRARY.test(specifier) && path.startsWith('libs/') && area !== 'transport' && area !== 'host') {
    refuse('no-transport-library', 'a transport client library, for transport folders and the host only');
  }

  const target = resolveInRepo(path, specifier);
  const folder = target === undefined ? undefined : messagingFolderOf(target);
  const targetKind = folder === undefined ? undefined : kindOf(folder);
  switch (area) {
    case 'context': {
      if (specifier === MICROSERVICES) {
        // A whole-module import cannot be checked name by name, so it is refused outright.
        const names =
          bindings === '*' ? ['the whole module'] : bindings.filter((n) => !MICROSERVICES_HANDLER_SIDE.has(n));
        for (const name of names) refuse('microservices-handler-side-only', `${name} is transport-side`);
      } else if (specifier.startsWith(`${MICROSERVICES}/`)) {
        refuse('microservices-handler-side-only', 'deep import into @nestjs/microservices');
      }
      if (folder !== undefined && specifier !== '@app/messaging') {
        refuse('context-sees-messaging-root-only', `a context imports @app/messaging only, not ${target}`);
      }
      const [own, other] = [contextOf(path), target === undefined ? undefined : contextOf(target)];
      if (other !== undefined && other !== own) refuse('no-other-context', `the ${own} context reaches into ${other}`);
      break;
    }
    case 'neutral':
      if (targetKind === 'transport' || targetKind === 'host') {
        refuse('neutral-knows-no-transport', `a transport-neutral folder reaches into ${folder}/`);
      }
      break;
    case 'transport':
      if (targetKind === 'host' || (targetKind === 'transport' && folder !== messagingFolderOf(path))) {
        refuse('transport-knows-only-neutral', `a transport reaches into ${folder}/`);
      }
      break;
    case 'root-index':
      if (targetKind !== 'neutral' || target !== `${MESSAGING}${folder}/index`) {
        refuse('messaging-root-index-neutral-only', 'it re-exports the index of a neutral folder, nothing else');
      }
      break;
    case 'elsewhere':
      if (folder !== undefined && !MESSAGING_ENTRIES.includes(specifier)) {
        refuse('messaging-through-its-entries', `outside libs/messaging, use ${MESSAGING_ENTRIES.join(', ')}`);
      }
      break;
  }
  return found;
}

/**
 * The repository path (without extension) an import lands on, for the specifiers that stay in the
 * repo: relative ones and the `@app/<lib>` aliases, their entries (`@app/messaging/amqp`) and the
 * deep forms someone may try (`@app/messaging/amqp/amqp-connection.js`, `@app/lib/src/...`).
 */
function resolveInRepo(from: string, specifier: string): string | undefined {
  const strip = (path: string): string => path.replace(/\.[jt]s$/, '');
  if (specifier.startsWith('./') || specifier.startsWith('../')) {
    return strip(posix.join(posix.dirname(from), specifier));
  }
  const alias = /^@app\/([a-z-]+)(?:\/(.*))?$/.exec(specifier);
  if (alias === null) return undefined;
  const [, lib, rest] = alias;
  if (rest === undefined) return `libs/${lib}/src/index`;
  if (/^[a-z-]+$/.test(rest)) return `libs/${lib}/src/${rest}/index`;
  return strip(rest.startsWith('src/') ? `libs/${lib}/${rest}` : `libs/${lib}/src/${rest}`);
}

function importsOf({ path, source }: SourceFile): ImportRef[] {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  // The names of each `import { ... } from`, by the position of its specifier; other forms take the whole module.
  const named = new Map<number, string[]>();
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || statement.importClause === undefined) continue;
    const { name, namedBindings } = statement.importClause;
    if (namedBindings !== undefined && ts.isNamespaceImport(namedBindings)) continue;
    // `propertyName` is the exported name when renamed (`import { ClientProxy as Bus }`).
    const names = (namedBindings?.elements ?? []).map((element) => (element.propertyName ?? element.name).text);
    named.set(statement.moduleSpecifier.getStart(file), name === undefined ? names : ['default', ...names]);
  }
  return ts.preProcessFile(source, true, true).importedFiles.map(({ fileName, pos }) => ({
    specifier: fileName,
    bindings: named.get(pos) ?? '*',
    line: file.getLineAndCharacterOfPosition(pos).line + 1,
  }));
}
