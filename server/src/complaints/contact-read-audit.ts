import { AppError } from '../core/errors.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Queryable } from '../db/database.ts';
import { type LockedComplaint, updateHead } from '../events/projection-store.ts';
import { appendEvents } from '../events/store.ts';
import { countContactRead } from './contact-store.ts';

/** Reads of one complaint's contact by one reader in an hour before 429. */
const PER_COMPLAINT_PER_HOUR = 20;
/** Contact reads by one reader across complaints in an hour before 429 (a bulk harvest). */
const PER_READER_PER_HOUR = 200;

/**
 * Counts a contact read and audits it in the chain, collapsed: the first read by a reader of a
 * complaint in an hour appends `contact_viewed`; later ones in that hour only add to the count
 * kept beside it (contact_read_counts). Past the limits the read is refused with 429 and, as the
 * caller's transaction rolls back, leaves nothing behind.
 */
export async function auditContactRead(tx: Queryable, complaint: LockedComplaint, user: StaffPrincipal, purpose: string): Promise<void> {
  const { reads, total } = await countContactRead(tx, complaint.id, user.id);
  if (reads > PER_COMPLAINT_PER_HOUR || total > PER_READER_PER_HOUR) throw new AppError('rate_limited', { retryAfterSeconds: 3600 });
  if (reads > 1) return;
  const head = await appendEvents(tx, complaint.id, { seq: complaint.lastSeq, hash: complaint.headHash }, { kind: 'staff', id: user.id }, [
    { type: 'contact_viewed', data: { purpose } },
  ]);
  if (!(await updateHead(tx, complaint.id, complaint.lastSeq, head))) throw new AppError('concurrent_change');
}
