import type { Clock } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import { namedEmployeeDigest } from '../domain/named-employee.ts';
import { normalizePersianText } from '../domain/persian-text.ts';
import { getNamedEmployee, lockComplaint } from '../events/projection-store.ts';
import { commit } from '../events/unit-of-work.ts';
import { forgetEmployeeInAlerts } from '../hotspots/store.ts';
import { readNamedEmployee } from './submit-complaint.ts';

/**
 * Sets, corrects or clears the employee a complaint names (the 128 centre and the supervisors, in
 * their scope), in any status: a closed complaint still counts in the hotspot baseline. The change
 * is an `employee_named` event in the complaint's chain — who, when, why, and a digest of the new
 * name (never the name: the chain is append-only and a wrongly named person must be erasable) —
 * written with the row through the unit of work in one transaction (so it reaches the live
 * channel like any change). Changing a name already there needs a reason. Setting the same name
 * again changes nothing.
 */
export async function nameEmployee(
  db: Database,
  clock: Clock,
  user: StaffPrincipal,
  complaintId: string,
  change: { namedEmployee: string | null; reason?: string | undefined },
): Promise<{ changed: boolean }> {
  if (!can(user.role, 'complaint.employee.set')) throw new AppError('forbidden', { action: 'name_employee' });
  const next = change.namedEmployee === null ? null : readNamedEmployee(change.namedEmployee, 'body.namedEmployee');
  const reason = change.reason ? normalizePersianText(change.reason) : '';
  return db.transaction(async (tx) => {
    const complaint = await lockComplaint(tx, complaintId, user);
    if (!complaint) throw new AppError('complaint_not_found');
    const current = await getNamedEmployee(tx, complaintId);
    if (current?.key === next?.key && current?.text === next?.text) return { changed: false };
    if (current && reason.length < 3) {
      throw new AppError('validation_failed', [
        { field: 'body.reason', problem: 'correcting or clearing a named employee needs a reason (3 characters or more)' },
      ]);
    }
    const event = { type: 'employee_named', data: { digest: namedEmployeeDigest(complaintId, next), ...(reason ? { reason } : {}) } };
    const now = clock.now();
    await commit(tx, [{ from: complaint, actor: { kind: 'staff', id: user.id }, events: [event], namedEmployee: { value: next } }], now);
    if (current && current.key !== next?.key) await forgetEmployeeInAlerts(tx, complaintId, current.key, now);
    return { changed: true };
  });
}
