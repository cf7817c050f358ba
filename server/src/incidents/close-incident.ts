import { applyCommandInTx } from '../complaints/apply-command.ts';
import type { Clock } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import { TRANSITIONS } from '../domain/lifecycle.ts';
import { normalizePersianText } from '../domain/persian-text.ts';
import { lockComplaint } from '../events/projection-store.ts';
import { closeIncidentRow, currentLinks, lockIncident } from './incident-store.ts';

const ANSWERABLE: readonly string[] = TRANSITIONS.answer;

/**
 * Closes an incident with one answer that reaches every linked citizen: each linked complaint is
 * answered through the normal answer command (its own `answered` event, its citizen's answer SMS,
 * its satisfaction window, so each citizen rates their own case), preceded by `incident_closed`
 * in its chain. A linked complaint outside the closer's scope is "not found" and nothing is
 * written. Complaints already answered on their own keep their answer. Returns how many were answered.
 */
export async function closeIncident(
  db: Database,
  settings: { publicUrl: string; clock: Clock },
  user: StaffPrincipal,
  incidentId: number,
  answerText: string,
): Promise<{ answered: number }> {
  if (!can(user.role, 'complaint.merge')) throw new AppError('forbidden', { action: 'incident.close' });
  const answer = normalizePersianText(answerText);
  if (answer.length < 10) throw new AppError('validation_failed', [{ field: 'body.answer', problem: 'must be at least 10 characters of text' }]);
  return db.transaction(async (tx) => {
    const incident = await lockIncident(tx, incidentId, user);
    if (!incident) throw new AppError('incident_not_found');
    if (incident.closedAt !== null) throw new AppError('incident_closed');
    const now = settings.clock.now();
    let answered = 0;
    for (const complaintId of await currentLinks(tx, incident.id)) {
      const complaint = await lockComplaint(tx, complaintId, user);
      if (!complaint) throw new AppError('complaint_not_found', { id: complaintId });
      // Answered, rejected or merged on its own meanwhile: it keeps what it has.
      if (!ANSWERABLE.includes(complaint.status)) continue;
      await applyCommandInTx(tx, settings, { id: complaintId }, { kind: 'staff', id: user.id, user }, () => ({ type: 'answer', text: answer }), {
        now,
        locked: complaint,
        precedingEvents: [{ type: 'incident_closed', data: { incidentId: incident.id } }],
      });
      answered++;
    }
    await closeIncidentRow(tx, incident.id, answer, user.id, now);
    return { answered };
  });
}
