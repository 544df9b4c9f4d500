import { ValidationFailedError } from '@app/ddd';

/** Where a keyset page ended: the (created_at, id) of its last row. */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An opaque cursor for the page after `position`. */
export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`).toString('base64url');
}

/** The position a cursor stands for; ValidationFailedError if the API did not make it. */
export function decodeCursor(cursor: string): KeysetPosition {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || !UUID.test(id) || Number.isNaN(createdAt.getTime())) {
    throw new ValidationFailedError('cursor is not one this API returned', {
      fields: [{ field: 'cursor', message: 'is invalid' }],
    });
  }
  return { createdAt, id };
}
