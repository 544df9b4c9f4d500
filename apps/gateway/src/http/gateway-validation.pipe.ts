import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { RequestValidationError } from '../errors/request-validation.error.js';

/**
 * DTO validation for every route: unknown fields rejected, types checked, and a body that is
 * not a JSON object (an array, a string, null) refused before field rules run.
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
    return super.transform(value, metadata);
  }
}
