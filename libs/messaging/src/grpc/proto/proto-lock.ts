/** A field as the committed `.proto` numbers it. `declaration` is its label and type (`optional int64`). */
export interface LockedField {
  readonly number: number;
  readonly declaration: string;
}

/** What the committed `.proto` says of one message: its fields' numbers, and the numbers and names retired. */
export interface LockedMessage {
  readonly fields: ReadonlyMap<string, LockedField>;
  readonly reservedNumbers: ReadonlySet<number>;
  readonly reservedNames: ReadonlySet<string>;
}

/** Messages by path (`ListUsersResponse.Item`). */
export type ProtoLock = ReadonlyMap<string, LockedMessage>;

const OPEN_MESSAGE = /^\s*message (\w+) \{$/;
const OPEN_BLOCK = /\{\s*$/;
const CLOSE = /^\s*\}$/;
const FIELD = /^\s*((?:optional |repeated )?\w+) (\w+) = (\d+);/;
const RESERVED_NUMBERS = /^\s*reserved (\d+(?:, \d+)*);/;
const RESERVED_NAMES = /^\s*reserved ("\w+"(?:, "\w+")*);/;

/**
 * Reads the field numbers of a `.proto` this generator wrote: the committed file is the lock of
 * the wire format, so a field keeps its number however the schema's keys are ordered, and a
 * removed field's number (and name) is reserved, never reused. It reads only the generator's
 * own layout; a hand-edited file fails the drift test before it can mislead this.
 */
export function readProtoLock(source: string): ProtoLock {
  const messages = new Map<string, { fields: Map<string, LockedField>; numbers: Set<number>; names: Set<string> }>();
  const stack: (string | null)[] = [];
  const path = () => stack.filter((name): name is string => name !== null).join('.');
  for (const line of source.split('\n')) {
    const opened = OPEN_MESSAGE.exec(line);
    if (opened) {
      stack.push(opened[1]!);
      messages.set(path(), { fields: new Map(), numbers: new Set(), names: new Set() });
      continue;
    }
    if (OPEN_BLOCK.test(line)) {
      stack.push(null); // a service block
      continue;
    }
    if (CLOSE.test(line)) {
      stack.pop();
      continue;
    }
    const current = stack.at(-1) ? messages.get(path()) : undefined;
    if (!current) continue;
    const field = FIELD.exec(line);
    if (field) {
      current.fields.set(field[2]!, { number: Number(field[3]), declaration: field[1]! });
      continue;
    }
    const numbers = RESERVED_NUMBERS.exec(line);
    if (numbers) for (const n of numbers[1]!.split(', ')) current.numbers.add(Number(n));
    const names = RESERVED_NAMES.exec(line);
    if (names) for (const n of names[1]!.split(', ')) current.names.add(n.slice(1, -1));
  }
  return new Map(
    [...messages].map(([key, { fields, numbers, names }]) => [
      key,
      { fields, reservedNumbers: numbers, reservedNames: names },
    ]),
  );
}
