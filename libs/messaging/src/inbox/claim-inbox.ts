import type { EntityManager } from 'typeorm';

/**
 * Records that `consumer` handles message `messageId`, inside the handler's transaction.
 * Returns false when it was handled before: the caller then skips the handler, so a
 * redelivered or duplicated message has no second effect.
 */
export async function claimInbox(manager: EntityManager, messageId: string, consumer: string): Promise<boolean> {
  const rows = (await manager.query(
    `INSERT INTO inbox (message_id, consumer, processed_at) VALUES ($1, $2, now())
     ON CONFLICT (message_id, consumer) DO NOTHING RETURNING message_id`,
    [messageId, consumer],
  )) as unknown[];
  return rows.length === 1;
}
