import type { Queryable } from '../db/database.ts';

/**
 * Counts one contact read by a reader in the hour of `now` (the injected clock's): `reads` of this
 * complaint (this one included) and `total` across all complaints. In the caller's transaction,
 * so a refused read rolls the count back.
 */
export async function countContactRead(tx: Queryable, complaintId: string, readerId: number, now: Date): Promise<{ reads: number; total: number }> {
  const { rows } = await tx.query<{ reads: number; total: number }>(
    `WITH counted AS (
       INSERT INTO contact_read_counts (complaint_id, reader_id, hour, reads) VALUES ($1, $2, date_trunc('hour', $3::timestamptz), 1)
       ON CONFLICT (complaint_id, reader_id, hour) DO UPDATE SET reads = contact_read_counts.reads + 1
       RETURNING reads)
     SELECT (SELECT reads FROM counted) AS reads,
            (SELECT COALESCE(sum(reads), 0)::int FROM contact_read_counts
              WHERE reader_id = $2 AND hour = date_trunc('hour', $3::timestamptz) AND complaint_id <> $1) + (SELECT reads FROM counted) AS total`,
    [complaintId, readerId, now.toISOString()],
  );
  return rows[0]!;
}

/** The contact, only when the database's rule lets this role read it. */
export async function readableContact(
  db: Queryable,
  complaintId: string,
  role: string,
): Promise<{ phone: string; name: string | null; nationalId: string | null } | null> {
  const { rows } = await db.query<{ phone: string; name: string | null; nationalId: string | null }>(
    `SELECT cc.phone, cc.name, cc.national_id AS "nationalId"
     FROM complainant_contacts cc JOIN complaints c ON c.id = cc.complaint_id
     WHERE cc.complaint_id = $1 AND contact_readable($2, c.share_identity, c.confidential)`,
    [complaintId, role],
  );
  return rows[0] ?? null;
}
