import type { Clock } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import type { IncidentPublicStatus } from '../domain/incident.ts';
import { normalizePersianText } from '../domain/persian-text.ts';
import { complaintsForIncident, insertIncident, lockIncident } from './incident-store.ts';
import { linkComplaintInTx } from './link-complaint.ts';

export interface OpenIncidentInput {
  titleFa: string;
  complaintIds: string[];
  publicStatus?: IncidentPublicStatus | undefined;
}

/**
 * Opens an incident for complaints staff chose (from a suggestion or by hand): all in their
 * scope, at one organisation, awaiting staff and in no other open incident. One transaction:
 * a refused complaint leaves nothing written. Each complaint gets an `incident_linked` event and
 * its citizen a message; the incident keeps the opener's scope for the complaints that arrive.
 */
export async function openIncident(
  db: Database,
  settings: { publicUrl: string; clock: Clock },
  user: StaffPrincipal,
  input: OpenIncidentInput,
): Promise<number> {
  if (!can(user.role, 'complaint.merge')) throw new AppError('forbidden', { action: 'incident.open' });
  const titleFa = normalizePersianText(input.titleFa);
  if (titleFa.length < 5) throw new AppError('validation_failed', [{ field: 'body.titleFa', problem: 'must be at least 5 characters of text' }]);
  const ids = [...new Set(input.complaintIds)].sort();
  return db.transaction(async (tx) => {
    const found = await complaintsForIncident(tx, user, ids);
    const missing = ids.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw new AppError('complaint_not_found', { ids: missing });
    const organisations = new Set(found.map((f) => f.organisationId));
    if (organisations.size !== 1 || organisations.has(null)) throw new AppError('incident_mixed_organisations');
    const taken = found.filter((f) => f.incidentId !== null);
    if (taken.length) throw new AppError('complaint_in_incident', { ids: taken.map((f) => f.id) });
    const now = settings.clock.now();
    const id = await insertIncident(
      tx,
      {
        organisationId: found[0]!.organisationId!,
        titleFa,
        publicStatus: input.publicStatus ?? 'handling',
        scopeUnitPath: user.role === 'national_admin' ? null : user.unitPath,
        scopeProvinceId: user.role === 'national_admin' ? null : user.provinceId,
      },
      user.id,
      now,
    );
    const incident = (await lockIncident(tx, id, null))!;
    for (const complaintId of ids) {
      if (!(await linkComplaintInTx(tx, settings, incident, complaintId, user, now))) {
        throw new AppError('invalid_transition', { id: complaintId, reason: 'only complaints awaiting staff join an incident' });
      }
    }
    return id;
  });
}
