import { complaintScope, type StaffPrincipal } from '../core/scope.ts';
import type { Queryable } from '../db/database.ts';
import type { AttachmentKind } from './inspect.ts';

export type AttachmentSource = 'web' | 'staff' | 'telegram' | 'bale';

export interface AttachmentRow {
  id: string;
  complaintId: string;
  kind: AttachmentKind;
  mime: string;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  thumbnailKey: string | null;
  width: number | null;
  height: number | null;
  source: AttachmentSource;
  sourceRef: string | null;
  uploadedByKind: 'citizen' | 'staff' | 'system';
  uploadedById: number | null;
  createdAt: string;
}

const COLUMNS = `a.id, a.complaint_id AS "complaintId", a.kind, a.mime, a.size_bytes AS "sizeBytes", a.sha256,
  a.storage_key AS "storageKey", a.thumbnail_key AS "thumbnailKey", a.width, a.height, a.source, a.source_ref AS "sourceRef",
  a.uploaded_by_kind AS "uploadedByKind", a.uploaded_by_id AS "uploadedById", a.created_at AS "createdAt"`;

function iso(row: AttachmentRow): AttachmentRow {
  const at = row.createdAt as unknown;
  return { ...row, createdAt: at instanceof Date ? at.toISOString() : String(at) };
}

/** Inserts an attachment record; false when the same channel file is already on the complaint. */
export async function insertAttachment(db: Queryable, row: Omit<AttachmentRow, 'createdAt'>): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO attachments (id, complaint_id, kind, mime, size_bytes, sha256, storage_key, thumbnail_key, width, height,
       source, source_ref, uploaded_by_kind, uploaded_by_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (complaint_id, source, source_ref) WHERE source_ref IS NOT NULL DO NOTHING`,
    [
      row.id,
      row.complaintId,
      row.kind,
      row.mime,
      row.sizeBytes,
      row.sha256,
      row.storageKey,
      row.thumbnailKey,
      row.width,
      row.height,
      row.source,
      row.sourceRef,
      row.uploadedByKind,
      row.uploadedById,
    ],
  );
  return result.rowCount === 1;
}

export async function countAttachments(db: Queryable, complaintId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM attachments WHERE complaint_id = $1', [complaintId]);
  return rows[0]!.n;
}

export async function findBySourceRef(db: Queryable, complaintId: string, source: AttachmentSource, sourceRef: string): Promise<AttachmentRow | null> {
  const { rows } = await db.query<AttachmentRow>(`SELECT ${COLUMNS} FROM attachments a WHERE a.complaint_id = $1 AND a.source = $2 AND a.source_ref = $3`, [
    complaintId,
    source,
    sourceRef,
  ]);
  return rows[0] ? iso(rows[0]) : null;
}

/** A complaint's attachments, oldest first. */
export async function listAttachments(db: Queryable, complaintId: string): Promise<AttachmentRow[]> {
  const { rows } = await db.query<AttachmentRow>(`SELECT ${COLUMNS} FROM attachments a WHERE a.complaint_id = $1 ORDER BY a.created_at, a.id`, [complaintId]);
  return rows.map(iso);
}

export async function getAttachment(db: Queryable, complaintId: string, attachmentId: string): Promise<AttachmentRow | null> {
  const { rows } = await db.query<AttachmentRow>(`SELECT ${COLUMNS} FROM attachments a WHERE a.complaint_id = $1 AND a.id = $2`, [complaintId, attachmentId]);
  return rows[0] ? iso(rows[0]) : null;
}

/** What a reader sees of an attachment: no storage keys, no channel ids. */
export function presentAttachment(row: AttachmentRow) {
  return {
    id: row.id,
    kind: row.kind,
    mime: row.mime,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    width: row.width,
    height: row.height,
    hasThumbnail: row.thumbnailKey !== null,
    source: row.source,
    createdAt: row.createdAt,
  };
}

/** The complaint's id if it is in the staff member's scope (the same SQL scope as every staff read), else null. */
export async function complaintIdInScope(db: Queryable, user: StaffPrincipal, complaintId: string): Promise<string | null> {
  const params: unknown[] = [complaintId];
  const { rows } = await db.query<{ id: string }>(`SELECT c.id FROM complaints c WHERE c.id = $1 AND ${complaintScope(user, params)}`, params);
  return rows[0]?.id ?? null;
}

/** The complaint filed by the web intake request that carried this Idempotency-Key, within the window after filing (up to `now`). */
export async function complaintIdByIntakeKey(db: Queryable, complaintId: string, key: string, windowMinutes: number, now: Date): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM complaints WHERE id = $1 AND idempotency_key = channel || ':' || $2 AND operator_id IS NULL
       AND created_at > $4::timestamptz - make_interval(mins => $3)`,
    [complaintId, key, windowMinutes, now],
  );
  return rows[0]?.id ?? null;
}

/** Of `ids`, those that are files the staff uploaded to this complaint (evidence for an answer). */
export async function staffAttachmentIds(db: Queryable, complaintId: string, ids: string[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT a.id FROM attachments a WHERE a.complaint_id = $1 AND a.id = ANY($2::uuid[]) AND a.uploaded_by_kind = 'staff' ORDER BY a.created_at, a.id`,
    [complaintId, ids],
  );
  return rows.map((r) => r.id);
}
