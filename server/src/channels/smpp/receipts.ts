import type { Queryable } from '../../db/database.ts';
import type { DeliveryReceipt } from './esme.ts';
import { markDelivery } from './store.ts';

/**
 * Records an SMSC delivery receipt on the outbox message it is about (matched by the SMSC's
 * message id of the last part, which `send()` kept as provider_message_id). Returns whether a
 * message was found; receipts for messages sent by other systems are ignored.
 */
export async function recordReceipt(db: Queryable, receipt: DeliveryReceipt): Promise<boolean> {
  if (!receipt.messageId) return false;
  return markDelivery(db, receipt.messageId, receipt.state);
}
