/** SQLSTATE codes we react to. */
export const PgErrorCodes = {
  uniqueViolation: '23505',
} as const;

/** The unique constraint a failed insert/update ran into, if that is what happened. */
export function violatedUniqueConstraint(error: unknown): string | null {
  const candidate = (error as { driverError?: unknown }).driverError ?? error;
  const { code, constraint } = candidate as { code?: string; constraint?: string };
  return code === PgErrorCodes.uniqueViolation ? (constraint ?? '') : null;
}
