import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';

/** An integer variable within [min, max]. */
export function EnvInt(min: number, max: number): PropertyDecorator {
  return (target, key) => {
    Type(() => Number)(target, key);
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
