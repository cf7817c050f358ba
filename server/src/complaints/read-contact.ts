import type { Clock } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import { AGENCY_ROLES, can } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import { lockComplaint } from '../events/projection-store.ts';
import { auditContactRead } from './contact-read-audit.ts';
import { readableContact } from './contact-store.ts';

/**
 * Shows a complainant's contact data to a staff member who may see it, and writes who read it
 * into the complaint's chain in the same transaction: no read without its audit record (repeats
 * within the hour are counted, not chained again; see contact-read-audit.ts).
 * Who may see it is decided in SQL (contact_readable, migration 019): the agency's own staff only
 * when the citizen agreed to share their identity and the complaint is not confidential; the
 * 128 centre and the supervisors always, to reach the citizen.
 */
export async function readContact(db: Database, clock: Clock, user: StaffPrincipal, complaintId: string, purpose: string) {
  if (!can(user.role, 'complaint.contact')) throw new AppError('forbidden');
  return db.transaction(async (tx) => {
    const complaint = await lockComplaint(tx, complaintId, user);
    if (!complaint) throw new AppError('complaint_not_found');
    const contact = await readableContact(tx, complaintId, user.role);
    if (!contact) {
      if (complaint.confidential && AGENCY_ROLES.includes(user.role)) throw new AppError('contact_confidential');
      throw new AppError('contact_not_shared');
    }
    await auditContactRead(tx, complaint, user, purpose, clock.now());
    return contact;
  });
}
