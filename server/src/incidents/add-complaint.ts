import type { Clock } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import { parseTrackingCode } from '../domain/tracking-code.ts';
import { complaintIdByCode, complaintsForIncident, lockIncident } from './incident-store.ts';
import { linkComplaintInTx } from './link-complaint.ts';

/**
 * Adds a complaint to an open incident by hand, by its tracking code in any spelling (Persian
 * digits, spaces, dashes — the same reading as the staff search). The complaint must be in the
 * staff member's scope, at the incident's organisation, awaiting staff and in no open incident;
 * its citizen is told as on automatic linking. One transaction: a refusal writes nothing.
 * Returns the complaint's id.
 */
export async function addComplaint(
  db: Database,
  settings: { publicUrl: string; clock: Clock },
  user: StaffPrincipal,
  incidentId: number,
  typedCode: string,
): Promise<string> {
  if (!can(user.role, 'complaint.merge')) throw new AppError('forbidden', { action: 'incident.add' });
  const code = parseTrackingCode(typedCode);
  if (!code) throw new AppError('invalid_tracking_code');
  return db.transaction(async (tx) => {
    const incident = await lockIncident(tx, incidentId, user);
    if (!incident) throw new AppError('incident_not_found');
    if (incident.closedAt !== null) throw new AppError('incident_closed');
    const id = await complaintIdByCode(tx, user, code);
    const [complaint] = id ? await complaintsForIncident(tx, user, [id]) : [];
    if (!complaint) throw new AppError('complaint_not_found');
    if (complaint.organisationId !== incident.organisationId) throw new AppError('incident_mixed_organisations');
    if (complaint.incidentId !== null) throw new AppError('complaint_in_incident', { ids: [complaint.id] });
    if (!(await linkComplaintInTx(tx, settings, incident, complaint.id, user, settings.clock.now(), true))) {
      throw new AppError('invalid_transition', { id: complaint.id, reason: 'only complaints awaiting staff join an incident' });
    }
    return complaint.id;
  });
}
