import { AppError } from '../core/errors.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Queryable } from '../db/database.ts';
import type { LockedComplaint } from '../events/projection-store.ts';
import { commit } from '../events/unit-of-work.ts';
import { countContactRead } from './contact-store.ts';

/** Reads of one complaint's contact by one reader in an hour before 429. */
const PER_COMPLAINT_PER_HOUR = 20;
/** Contact reads by one reader across complaints in an hour before 429 (a bulk harvest). */
const PER_READER_PER_HOUR = 200;

/**
 * Counts a contact read and audits it in the chain, collapsed: the first read by a reader of a
 * complaint in an hour (of `now`, the injected clock's) appends `contact_viewed` through the unit
 * of work (a change with no state: the chain head moves and the live channel hears of it); later
 * ones in that hour only add to the count kept beside it (contact_read_counts). Past the limits
 * the read is refused with 429 and, as the caller's transaction rolls back, leaves nothing behind.
 */
export async function auditContactRead(tx: Queryable, complaint: LockedComplaint, user: StaffPrincipal, purpose: string, now: Date): Promise<void> {
  const { reads, total } = await countContactRead(tx, complaint.id, user.id, now);
  if (reads > PER_COMPLAINT_PER_HOUR || total > PER_READER_PER_HOUR) throw new AppError('rate_limited', { retryAfterSeconds: 3600 });
  if (reads > 1) return;
  await commit(tx, [{ from: complaint, actor: { kind: 'staff', id: user.id }, events: [{ type: 'contact_viewed', data: { purpose } }] }], now);
}
