import { describe, expect, it } from '@jest/globals';
import type { ArgumentMetadata } from '@nestjs/common';
import { RequestValidationError } from '../errors/request-validation.error.js';
import { EntityIdPipe } from './entity-id.pipe.js';

const pipe = new EntityIdPipe();
const param: ArgumentMetadata = { type: 'param', data: 'id' };
const id = '6f9c1e52-3c1d-4f7a-9a0e-8d2b5e4c7a10';

describe('EntityIdPipe', () => {
  it('accepts a UUID, in either case, and passes it on in lower case as the contract asks', () => {
    expect(pipe.transform(id, param)).toBe(id);
    expect(pipe.transform(id.toUpperCase(), param)).toBe(id);
  });

  it.each([['not-a-uuid'], [''], [`${id}0`], ['6f9c1e52-3c1d-0f7a-9a0e-8d2b5e4c7a10']])(
    'refuses %p with a field error on the parameter',
    (value) => {
      let error: unknown;
      try {
        pipe.transform(value, param);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(RequestValidationError);
      expect((error as RequestValidationError).fields).toEqual([{ field: 'id', message: 'must be a UUID' }]);
    },
  );
});
