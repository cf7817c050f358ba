import { createHash, randomUUID } from 'node:crypto';
import { cleanImage, detectType } from '../attachments/inspect.ts';
import type { AttachmentStorage } from '../attachments/storage.ts';
import { AppError } from '../core/errors.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import { findInspection, insertPhoto, type PhotoType } from './store.ts';

/** The key of an inspection photo in the attachment storage (ours, never a file name). */
export function photoStorageKey(inspectionId: number, id: string): string {
  return `inspections/${inspectionId}/${id}`;
}

/**
 * The inspector adds a photo taken on site (before filing), through the same pipeline as every
 * upload: the type from the bytes (file-type), the photo re-encoded by sharp so that no GPS
 * position, camera serial or time survives, stored in the attachment storage (local or S3).
 * The file is written first and its row after; a failed insert deletes the file again.
 */
export async function addPhoto(db: Database, storage: AttachmentStorage, user: StaffPrincipal, inspectionId: number, file: { path: string }) {
  const inspection = await findInspection(db.pool, inspectionId, user, { readScope: false });
  if (!inspection) throw new AppError('inspection_not_found');
  if (inspection.status === 'filed') throw new AppError('inspection_filed');
  const detected = await detectType(file.path).catch(() => null);
  if (detected?.kind !== 'image') throw new AppError('unsupported_photo', { detected: detected?.mime ?? null });
  const clean = await cleanImage(file.path, detected.mime).catch(() => {
    throw new AppError('unsupported_photo', { detected: detected.mime, reason: 'the image cannot be decoded' });
  });
  const storageKey = photoStorageKey(inspectionId, randomUUID());
  await storage.put(storageKey, { buffer: clean.buffer }, clean.mime);
  const sha256 = createHash('sha256').update(clean.buffer).digest('hex');
  const mediaType = clean.mime as PhotoType;
  try {
    const row = await insertPhoto(db.pool, { inspectionId, storageKey, mediaType, bytes: clean.buffer.length, sha256, uploadedBy: user.id });
    return { id: row.id, mediaType, bytes: clean.buffer.length, sha256, uploadedAt: row.uploadedAt.toISOString() };
  } catch (error) {
    await storage.delete(storageKey).catch(() => undefined);
    throw error;
  }
}
