import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { entityIdSchema } from '@app/contracts';
import { RequestValidationError } from '../errors/request-validation.error.js';

/**
 * A path parameter that names an entity: checked by the contract's own id rule, so the gateway
 * refuses exactly what the service would, and written in lower case, the canonical form the
 * contract asks for (a client may write a UUID in either case).
 */
@Injectable()
export class EntityIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const id = entityIdSchema.safeParse(typeof value === 'string' ? value.toLowerCase() : value);
    if (!id.success) {
      throw new RequestValidationError([{ field: metadata.data ?? 'id', message: id.error.issues[0]!.message }]);
    }
    return id.data;
  }
}
