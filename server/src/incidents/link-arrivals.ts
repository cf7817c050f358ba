import type { Clock } from '../core/clock.ts';
import type { Database } from '../db/database.ts';
import { startWorkLoop } from '../db/work-loop.ts';
import { arrivalCandidates, claimOpenIncident, linkedTexts, openIncidentIds, setCheckedUntil } from './incident-store.ts';
import { linkComplaintInTx } from './link-complaint.ts';
import { jaccard, shingles } from './similarity.ts';

/** The similarity at which a new complaint says the same as an incident's (the suggestions' threshold). */
const THRESHOLD = 0.45;
/** Complaints commit a little after their filing time: each round looks this far behind its mark. */
const LATE_COMMIT_MS = 10 * 60_000;
/** Most complaints one incident compares per round (the newest): far more than an outage's minutes bring. */
const BATCH = 2000;
/** How many of an incident's texts a new complaint is compared with (the newest). */
const SAMPLE = 50;

/**
 * One round of the arrival check: for every open incident, the complaints filed at its
 * organisation (in its scope) since its mark are compared with its linked complaints' texts by
 * exact Jaccard similarity of shingles; those that say the same thing are linked, and their
 * citizens told that a known incident is being handled. Each incident in its own transaction,
 * claimed with SKIP LOCKED, so instances share the work.
 */
export async function linkArrivals(db: Database, settings: { publicUrl: string }, now: Date): Promise<{ linked: number; full: boolean }> {
  let linked = 0;
  for (const id of await openIncidentIds(db.pool)) {
    await db.transaction(async (tx) => {
      const incident = await claimOpenIncident(tx, id);
      if (!incident) return;
      const since = new Date(Math.max(incident.openedAt.getTime(), incident.checkedUntil.getTime() - LATE_COMMIT_MS));
      const candidates = await arrivalCandidates(tx, incident, since, BATCH);
      const known = (await linkedTexts(tx, incident.id, SAMPLE)).map(shingles);
      for (const candidate of candidates) {
        const set = shingles(candidate.description);
        if (!known.some((k) => jaccard(k, set) >= THRESHOLD)) continue;
        if (await linkComplaintInTx(tx, settings, incident, candidate.id, null, now)) linked++;
      }
      await setCheckedUntil(tx, incident.id, now);
    });
  }
  return { linked, full: false };
}

/** Runs the arrival check every `intervalMs` until stopped. */
export function startIncidentLinker(
  db: Database,
  options: { settings: { publicUrl: string }; clock: Clock; intervalMs: number; onError?: (error: unknown) => void },
) {
  return startWorkLoop(() => linkArrivals(db, options.settings, options.clock.now()), options.intervalMs, options.onError);
}
