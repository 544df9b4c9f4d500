import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, Max, Min, ValidateBy } from 'class-validator';

/** An integer variable within [min, max]. */
export function EnvInt(min: number, max: number): PropertyDecorator {
  return (target, key) => {
    // Only plain decimal digits: Number() would also take '0x10', '1e3' or ''.
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value,
    )(target, key);
    IsInt()(target, key);
    Min(min)(target, key);
    Max(max)(target, key);
  };
}

/** `true` or `false`, nothing else (so a typo does not silently mean true). */
export function EnvBool(): PropertyDecorator {
  return (target, key) => {
    Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))(
      target,
      key,
    );
    IsBoolean()(target, key);
  };
}

/** A value that must differ from another variable's (two listeners of one process on one port). */
export function DifferentFrom(other: string): PropertyDecorator {
  return ValidateBy({
    name: 'differentFrom',
    constraints: [other],
    validator: {
      validate: (value, args) => value !== (args?.object as Record<string, unknown>)[other],
      defaultMessage: (args) =>
        `must differ from ${other} (both are ${JSON.stringify((args?.object as Record<string, unknown>)[other])})`,
    },
  });
}
