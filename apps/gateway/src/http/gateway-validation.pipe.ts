import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { RequestValidationError } from '../errors/request-validation.error.js';

/**
 * No DTO of ours nests deeper than a few levels; class-transformer recurses per level and
 * overflows the stack on a few thousand (a 64 KiB body holds 30,000 levels of `[`).
 */
export const MAX_BODY_DEPTH = 16;

/**
 * DTO validation for every route: unknown fields rejected, types checked, and a body that is
 * not a JSON object (an array, a string, null), or that nests deeper than MAX_BODY_DEPTH, refused
 * before field rules run.
 */
export class GatewayValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => RequestValidationError.fromValidationErrors(errors),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new RequestValidationError([{ field: 'body', message: 'the body must be a JSON object' }]);
    }
    if (metadata.type === 'body' && nestsDeeperThan(value, MAX_BODY_DEPTH)) {
      throw new RequestValidationError([
        { field: 'body', message: `the body must not nest deeper than ${MAX_BODY_DEPTH} levels` },
      ]);
    }
    return super.transform(value, metadata);
  }
}

/** Without recursion, so the check itself cannot overflow; stops at the first path too deep. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}
