import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { productionProblems, type ProductionRuleOptions } from './production-rules.js';

/** Thrown at start when a variable is missing or malformed; its message names the variable. */
export class InvalidEnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = InvalidEnvironmentError.name;
  }
}

const SECRET = /PASSWORD|SECRET|PRIVATE|TOKEN/i;

/**
 * Builds a `validate` function for `ConfigModule.forRoot`. The schema is a class whose
 * fields carry class-validator rules and defaults; only its own fields are read from the
 * environment, an empty value counts as unset, and the result is the typed config. In
 * production, default credentials are refused too (see production-rules.ts); `broker: false`
 * for an app that never connects to RabbitMQ (the monolith).
 */
export function validateEnv<T extends object>(
  schema: new () => T,
  rules: ProductionRuleOptions = { broker: true },
): (raw: Record<string, unknown>) => T {
  return (raw) => {
    const known = Object.keys(new schema());
    const given: Record<string, unknown> = {};
    for (const key of known) {
      const value = raw[key];
      if (value !== undefined && value !== '') given[key] = value;
    }
    const config = plainToInstance(schema, given, { exposeDefaultValues: true });
    const errors = validateSync(config, { forbidUnknownValues: false });
    if (errors.length > 0) throw new InvalidEnvironmentError(describe(errors, given));
    const problems = productionProblems(config, rules);
    if (problems.length > 0) throw new InvalidEnvironmentError(`Invalid environment: ${problems.join('; ')}`);
    return config;
  };
}

/** `amqp://user:secret@host` → `amqp://user:***@host`: URLs carry passwords too. */
function withoutCredentials(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@') : (value ?? null);
}

function describe(errors: ValidationError[], given: Record<string, unknown>): string {
  const lines = errors.map((error) => {
    const rules = Object.values(error.constraints ?? {}).join(', ');
    const shown = SECRET.test(error.property)
      ? ''
      : ` (got ${JSON.stringify(withoutCredentials(given[error.property]))})`;
    return `${error.property}: ${rules}${shown}`;
  });
  return `Invalid environment: ${lines.join('; ')}`;
}
