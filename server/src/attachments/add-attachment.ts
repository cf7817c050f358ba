import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Clock } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import type { Actor } from '../domain/event-chain.ts';
import { lockComplaint } from '../events/projection-store.ts';
import { commit } from '../events/unit-of-work.ts';
import { cleanImage, detectType } from './inspect.ts';
import { type AttachmentStorage, attachmentKeys, type StoredBody } from './storage.ts';
import { type AttachmentRow, type AttachmentSource, countAttachments, findBySourceRef, insertAttachment } from './store.ts';

/** The limits an upload is held to (from config.ts). */
export interface AttachmentSettings {
  storage: AttachmentStorage;
  maxBytes: { image: number; video: number; voice: number };
  perComplaint: number;
  /** The time of the `attachment_added` event (core/clock.ts). */
  clock: Clock;
}

export interface NewAttachment {
  complaintId: string;
  /** The uploaded bytes, already on disk (a temporary file the caller removes). */
  path: string;
  size: number;
  source: AttachmentSource;
  /** The channel's own id of the file (Bot API file_unique_id): the same file twice is stored once. */
  sourceRef?: string | null;
  actor: Actor;
  /** A staff uploader: the complaint is locked inside their scope. Null for citizens and channels (their proof was checked before). */
  user: StaffPrincipal | null;
}

async function sha256Of(body: StoredBody): Promise<string> {
  const hash = createHash('sha256');
  if ('buffer' in body) return hash.update(body.buffer).digest('hex');
  for await (const chunk of createReadStream(body.path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Adds a file to a complaint: its type from its bytes, the size limit of that type, a photo
 * re-encoded without its metadata (and a thumbnail), the bytes stored, then — in one
 * transaction with the complaint locked — the record and an `attachment_added` event in the
 * complaint's chain. If anything after storing fails, the stored bytes are deleted again: a
 * refused upload leaves neither a row nor a file.
 */
export async function addAttachment(
  db: Database,
  settings: AttachmentSettings,
  input: NewAttachment,
): Promise<{ attachment: AttachmentRow; replayed: boolean }> {
  const { mime, kind } = await detectType(input.path);
  if (input.size > settings.maxBytes[kind]) throw new AppError('attachment_too_large', { kind, maxBytes: settings.maxBytes[kind], sizeBytes: input.size });
  if (input.sourceRef) {
    const existing = await findBySourceRef(db.pool, input.complaintId, input.source, input.sourceRef);
    if (existing) return { attachment: existing, replayed: true };
  }
  const image = kind === 'image' ? await cleanImage(input.path, mime) : null;
  const body: StoredBody = image ? { buffer: image.buffer } : { path: input.path, size: input.size };
  const id = randomUUID();
  const keys = attachmentKeys(input.complaintId, id, image !== null);
  const row: Omit<AttachmentRow, 'createdAt'> = {
    id,
    complaintId: input.complaintId,
    kind,
    mime,
    sizeBytes: image ? image.buffer.length : input.size,
    sha256: await sha256Of(body),
    storageKey: keys.original,
    thumbnailKey: keys.thumbnail,
    width: image?.width ?? null,
    height: image?.height ?? null,
    source: input.source,
    sourceRef: input.sourceRef ?? null,
    uploadedByKind: input.actor.kind,
    uploadedById: input.actor.kind === 'staff' ? input.actor.id : null,
  };
  const stored: string[] = [];
  const now = settings.clock.now();
  try {
    await settings.storage.put(keys.original, body, mime);
    stored.push(keys.original);
    if (image && keys.thumbnail) {
      await settings.storage.put(keys.thumbnail, { buffer: image.thumbnail }, 'image/jpeg');
      stored.push(keys.thumbnail);
    }
    const outcome = await db.transaction(async (tx) => {
      const c = await lockComplaint(tx, input.complaintId, input.user);
      if (!c) throw new AppError('complaint_not_found');
      if ((await countAttachments(tx, c.id)) >= settings.perComplaint) throw new AppError('attachment_limit', { max: settings.perComplaint });
      if (!(await insertAttachment(tx, row))) return null; // the same channel file arrived twice at once
      const data = { attachmentId: id, kind, mime, sizeBytes: row.sizeBytes, sha256: row.sha256, source: input.source };
      await commit(tx, [{ from: c, actor: input.actor, events: [{ type: 'attachment_added', data }] }], now);
      return true;
    });
    if (outcome === null) {
      await Promise.all(stored.map((key) => settings.storage.delete(key)));
      const existing = await findBySourceRef(db.pool, input.complaintId, input.source, input.sourceRef!);
      return { attachment: existing!, replayed: true };
    }
  } catch (error) {
    await Promise.all(stored.map((key) => settings.storage.delete(key).catch(() => undefined)));
    throw error;
  }
  return { attachment: { ...row, createdAt: now.toISOString() }, replayed: false };
}
