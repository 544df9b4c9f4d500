import { BadRequestException, type ValidationError } from '@nestjs/common';
import type { FieldError } from './problem.js';

/** A request that failed DTO validation, with one entry per offending field. */
export class RequestValidationError extends BadRequestException {
  constructor(readonly fields: FieldError[]) {
    super('the request is invalid');
  }

  static fromValidationErrors(errors: ValidationError[]): RequestValidationError {
    return new RequestValidationError(flatten(errors, ''));
  }
}

function flatten(errors: ValidationError[], parent: string): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
