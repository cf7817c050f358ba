import { AppError } from '../core/errors.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Queryable } from '../db/database.ts';
import type { Actor } from '../domain/event-chain.ts';
import { AWAITING_STAFF_STATUSES } from '../domain/lifecycle.ts';
import { type LockedComplaint, lockComplaint, refreshShownIncident } from '../events/projection-store.ts';
import { commit } from '../events/unit-of-work.ts';
import { loadNotificationContext, planNotifications } from '../notifications/outbox.ts';
import { endLink, type IncidentRow, insertLink } from './incident-store.ts';

const AWAITING: readonly string[] = AWAITING_STAFF_STATUSES;

/** Whether a locked complaint may join an incident: still awaiting staff, not merged into another. */
export function canJoin(complaint: LockedComplaint): boolean {
  return AWAITING.includes(complaint.status) && complaint.mergedIntoId === null;
}

/**
 * Links one complaint to an incident inside the caller's transaction: the link row, an
 * `incident_linked` event on the complaint's chain (no state change, so the chain still verifies)
 * and the citizen's message that a known incident is being handled, with its public title and
 * status. `user` is the staff member linking it (the scope is in the lock), null on arrival;
 * `added` marks a complaint staff add by hand to an incident already open.
 */
export async function linkComplaintInTx(
  tx: Queryable,
  settings: { publicUrl: string },
  incident: IncidentRow,
  complaintId: string,
  user: StaffPrincipal | null,
  now: Date,
  added = false,
): Promise<boolean> {
  const complaint = await lockComplaint(tx, complaintId, user);
  if (!complaint) throw new AppError('complaint_not_found', { id: complaintId });
  if (!canJoin(complaint)) return false;
  const actor: Actor = user ? { kind: 'staff', id: user.id } : { kind: 'system', id: null };
  await insertLink(tx, incident.id, complaint.id, user ? 'opened' : 'arrival', user?.id ?? null, now);
  await refreshShownIncident(tx, complaint.id);
  const how = user ? (added ? 'added' : 'opened') : 'arrival';
  const data = { incidentId: incident.id, title: incident.titleFa, publicStatus: incident.publicStatus, how };
  await appendAndTell(tx, settings, complaint, actor, { type: 'incident_linked', data }, now);
  return true;
}

/** Ends a complaint's link to an incident (staff): an `incident_unlinked` event; it goes on as a normal complaint. */
export async function unlinkComplaintInTx(
  tx: Queryable,
  settings: { publicUrl: string },
  incident: IncidentRow,
  complaintId: string,
  user: StaffPrincipal,
  reason: string,
  now: Date,
): Promise<void> {
  const complaint = await lockComplaint(tx, complaintId, user);
  if (!complaint || !(await endLink(tx, incident.id, complaintId, user.id, now))) throw new AppError('complaint_not_found', { id: complaintId });
  await refreshShownIncident(tx, complaint.id);
  await appendAndTell(tx, settings, complaint, { kind: 'staff', id: user.id }, { type: 'incident_unlinked', data: { incidentId: incident.id, reason } }, now);
}

/** Appends one event to a locked complaint's chain through the unit of work (no state change: the head moves) with the messages it plans. */
export async function appendAndTell(
  tx: Queryable,
  settings: { publicUrl: string },
  complaint: LockedComplaint,
  actor: Actor,
  event: { type: string; data: unknown },
  now: Date,
): Promise<void> {
  const messages = async (events: Parameters<typeof planNotifications>[0]) =>
    planNotifications(events, await loadNotificationContext(tx, complaint.id, [], settings.publicUrl));
  await commit(tx, [{ from: complaint, actor, events: [event], messages }], now);
}
