/*
 * The bounds of a user's fields, written once: the users domain enforces them as invariants
 * (counting code points of the trimmed value), the gateway's validation reads them here.
 */

/** RFC 5321's limit on a forward path, less the angle brackets. */
export const EMAIL_MAX_LENGTH = 254;
/** RFC 5321's limit on the part before the `@`. */
export const EMAIL_LOCAL_PART_MAX_LENGTH = 64;
export const NAME_MAX_LENGTH = 100;
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
