import type { Queryable } from '../../db/database.ts';
import type { DeliveryReceipt } from './esme.ts';

/**
 * Records an SMSC delivery receipt on the outbox message it is about (matched by the SMSC's
 * message id of the last part, which `send()` kept as provider_message_id). Returns whether a
 * message was found; receipts for messages sent by other systems are ignored.
 */
export async function recordReceipt(db: Queryable, receipt: DeliveryReceipt): Promise<boolean> {
  if (!receipt.messageId) return false;
  const result = await db.query(`UPDATE outbox SET delivery_state = $2, delivery_reported_at = now() WHERE provider_message_id = $1 AND channel = 'sms'`, [
    receipt.messageId,
    receipt.state,
  ]);
  return (result.rowCount ?? 0) > 0;
}
