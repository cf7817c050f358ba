import { createHash, randomUUID } from 'node:crypto';
import type { StaffPrincipal } from '../auth/scope.ts';
import type { Database } from '../db/database.ts';
import { AppError } from '../http/errors.ts';
import type { PhotoStore } from './photo-store.ts';
import { PHOTO_EXTENSION, photoTypeOf } from './photo-type.ts';
import { findInspection, insertPhoto } from './store.ts';

/**
 * The inspector adds a photo taken on site (before filing). The type comes from the file's first
 * bytes; the file is written first and its row after, so a row never points at a missing file
 * (a crash in between leaves an orphan file, which is harmless).
 */
export async function addPhoto(db: Database, photos: PhotoStore, user: StaffPrincipal, inspectionId: number, bytes: Buffer) {
  const inspection = await findInspection(db.pool, inspectionId, user, { readScope: false });
  if (!inspection) throw new AppError('inspection_not_found');
  if (inspection.status === 'filed') throw new AppError('inspection_filed');
  const mediaType = photoTypeOf(bytes);
  if (!mediaType) throw new AppError('unsupported_photo');
  const storageKey = `${inspectionId}/${randomUUID()}.${PHOTO_EXTENSION[mediaType]}`;
  await photos.put(storageKey, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const row = await insertPhoto(db.pool, { inspectionId, storageKey, mediaType, bytes: bytes.length, sha256, uploadedBy: user.id });
  return { id: row.id, mediaType, bytes: bytes.length, sha256, uploadedAt: row.uploadedAt.toISOString() };
}
