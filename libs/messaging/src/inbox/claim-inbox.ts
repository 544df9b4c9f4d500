import type { EntityManager } from 'typeorm';

/**
 * Records that `consumer` handles these messages, inside the handlers' transaction, in one
 * statement. Returns the ids not handled before: the caller runs the handlers of those only, so
 * a redelivered or duplicated message has no second effect.
 */
export async function claimInbox(manager: EntityManager, messageIds: string[], consumer: string): Promise<Set<string>> {
  const rows = (await manager.query(
    `INSERT INTO inbox (message_id, consumer, processed_at) SELECT id, $2, now() FROM unnest($1::uuid[]) AS id
     ON CONFLICT (message_id, consumer) DO NOTHING RETURNING message_id`,
    [messageIds, consumer],
  )) as { message_id: string }[];
  return new Set(rows.map((row) => row.message_id));
}
