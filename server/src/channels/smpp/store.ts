import type { Queryable } from '../../db/database.ts';

/** One stored part of a concatenated inbound text (kept until the whole text is filed). */
export interface StoredPart {
  setKey: string;
  seq: number;
  total: number;
  source: string;
  ref: string;
  text: string;
}

/** Stores a part before the SMSC is answered, so a restart cannot lose it; a redelivered part changes nothing. */
export async function storePart(db: Queryable, part: StoredPart): Promise<void> {
  await db.query('INSERT INTO sms_inbound_parts (set_key, seq, total, source, ref, text) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING', [
    part.setKey,
    part.seq,
    part.total,
    part.source,
    part.ref,
    part.text,
  ]);
}

/** Every stored part, grouped by the order the sets are reassembled in. */
export async function loadStoredParts(db: Queryable): Promise<StoredPart[]> {
  const { rows } = await db.query<StoredPart>('SELECT set_key AS "setKey", seq, total, source, ref, text FROM sms_inbound_parts ORDER BY set_key, seq');
  return rows;
}

/** Forgets a set's parts once its text is filed. */
export async function deleteStoredSet(db: Queryable, setKey: string): Promise<void> {
  await db.query('DELETE FROM sms_inbound_parts WHERE set_key = $1', [setKey]);
}

/**
 * Marks the SMS outbox message the SMSC knows as `providerMessageId` with a delivery state.
 * Returns whether such a message was found.
 */
export async function markDelivery(db: Queryable, providerMessageId: string, state: string): Promise<boolean> {
  const result = await db.query(`UPDATE outbox SET delivery_state = $2, delivery_reported_at = now() WHERE provider_message_id = $1 AND channel = 'sms'`, [
    providerMessageId,
    state,
  ]);
  return (result.rowCount ?? 0) > 0;
}
