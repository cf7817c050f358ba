import { AGENCY_ROLES, can } from '../auth/roles.ts';
import type { StaffPrincipal } from '../auth/scope.ts';
import type { Database } from '../db/database.ts';
import { AppError } from '../http/errors.ts';
import { auditContactRead } from './contact-read-audit.ts';
import { getContact, lockComplaint } from './store.ts';

/**
 * Shows a complainant's contact data to a staff member who may see it, and writes who read it
 * into the complaint's chain in the same transaction: no read without its audit record (repeats
 * within the hour are counted, not chained again; see contact-read-audit.ts).
 * For a confidential complaint the agency's own staff never see it (the 128 centre and the
 * supervisors still can, to reach the citizen).
 */
export async function readContact(db: Database, user: StaffPrincipal, complaintId: string, purpose: string) {
  if (!can(user.role, 'complaint.contact')) throw new AppError('forbidden');
  return db.transaction(async (tx) => {
    const complaint = await lockComplaint(tx, complaintId, user);
    if (!complaint) throw new AppError('complaint_not_found');
    if (complaint.confidential && AGENCY_ROLES.includes(user.role)) throw new AppError('contact_confidential');
    const contact = await getContact(tx, complaintId);
    await auditContactRead(tx, complaint, user, purpose);
    return contact;
  });
}
