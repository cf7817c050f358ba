import { AppError } from '../core/errors.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import type { AttachmentStorage } from './storage.ts';
import { complaintIdByIntakeKey, complaintIdInScope, getAttachment } from './store.ts';

/** The complaint, if it is in the staff member's scope (the same SQL scope as every staff read); else 404. */
export async function complaintInScope(db: Database, user: StaffPrincipal, complaintId: string): Promise<string> {
  const id = await complaintIdInScope(db.pool, user, complaintId);
  if (!id) throw new AppError('complaint_not_found');
  return id;
}

/**
 * The web citizen's proof right after filing, before any one-time code: the Idempotency-Key
 * their own intake request carried (a random value only their browser knows), for a short
 * while after filing. Later they sign in to tracking with the SMS code instead.
 */
export async function complaintByIntakeKey(db: Database, complaintId: string, key: string | undefined, windowMinutes: number, now: Date): Promise<string> {
  if (!key || !/^[A-Za-z0-9_:.-]{8,100}$/.test(key)) throw new AppError('citizen_token_required');
  const id = await complaintIdByIntakeKey(db.pool, complaintId, key, windowMinutes, now);
  if (!id) throw new AppError('citizen_token_required');
  return id;
}

/** The bytes of an attachment (or its thumbnail) of a complaint the caller may already read. */
export async function openAttachment(db: Database, storage: AttachmentStorage, complaintId: string, attachmentId: string, variant: 'original' | 'thumbnail') {
  const row = await getAttachment(db.pool, complaintId, attachmentId);
  const key = row && (variant === 'thumbnail' ? row.thumbnailKey : row.storageKey);
  if (!row || !key) throw new AppError('attachment_not_found');
  const object = await storage.get(key);
  if (!object) throw new AppError('attachment_not_found', { reason: 'the stored file is missing' });
  return { ...object, mime: variant === 'thumbnail' ? 'image/jpeg' : row.mime, id: row.id };
}
