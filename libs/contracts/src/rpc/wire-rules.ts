import { z } from 'zod';

/*
 * The rules every RPC request shares, each written once: the gateway's validation, the server's
 * parse at its edge and the generated `.proto` comments all read these. Field schemas carry their
 * own messages, so an invalid request names the field and the rule the same way at every edge.
 */

/** A JWT is far shorter; the bound keeps a hostile caller from making the service verify megabytes. */
export const ACCESS_TOKEN_MAX_LENGTH = 4096;
export const PAGE_LIMIT_MIN = 1;
export const PAGE_LIMIT_MAX = 100;
export const PAGE_LIMIT_DEFAULT = 20;
/** Our keyset cursors are ~100 characters; anything longer is not one of ours. */
export const CURSOR_MAX_LENGTH = 200;

/** The field an authenticated RPC carries its caller's access token in (see `Authenticated`). */
export const ACCESS_TOKEN_FIELD = 'accessToken';

export const accessTokenSchema = z
  .string({ error: 'must be an access token' })
  .min(1, 'must be an access token')
  .max(ACCESS_TOKEN_MAX_LENGTH, `must be at most ${ACCESS_TOKEN_MAX_LENGTH} characters`);

/** What every RPC that acts for a user carries; the service verifies the token, never a claimed actor. */
export const authenticatedSchema = z.object({ [ACCESS_TOKEN_FIELD]: accessTokenSchema });

/**
 * An entity id: a UUID in its canonical lower-case form, so an id compares equal to the one in an
 * access token without a transform on the wire.
 */
export const entityIdSchema = z.uuid({ error: 'must be a UUID' }).lowercase('must be a lower-case UUID');

export const pageLimitSchema = z
  .int({ error: `must be an integer from ${PAGE_LIMIT_MIN} to ${PAGE_LIMIT_MAX}` })
  .min(PAGE_LIMIT_MIN, `must be an integer from ${PAGE_LIMIT_MIN} to ${PAGE_LIMIT_MAX}`)
  .max(PAGE_LIMIT_MAX, `must be an integer from ${PAGE_LIMIT_MIN} to ${PAGE_LIMIT_MAX}`);

/** An opaque keyset cursor; absent or empty means the first page. */
export const cursorSchema = z
  .string({ error: 'must be a cursor from an earlier page' })
  .max(CURSOR_MAX_LENGTH, `must be at most ${CURSOR_MAX_LENGTH} characters`);

/** An instant as every API shows it: ISO 8601 in UTC (`Date.toISOString()`). */
export const instantSchema = z.iso.datetime({ error: 'must be an ISO 8601 instant in UTC' });
