import type { SlaPolicy } from './plan.ts';

/** An active policy with what decides whether (and how well) it fits a complaint. */
export interface PolicyCandidate extends SlaPolicy {
  categoryId: number | null;
  /** path of the unit that owns the policy; null for a national policy */
  agencyPath: string | null;
  agencyDepth: number | null;
}

/**
 * The policy for a unit (its path) among the active candidates of one category, in the same
 * order as `resolvePolicy`'s SQL: agency + category, then category alone, then agency alone, then
 * the national default; among agency policies the nearest ancestor's; the newest row on a tie.
 * Done in memory so that one cached list per category serves every unit under it.
 */
export function pickPolicy(candidates: readonly PolicyCandidate[], unitPath: string | null): SlaPolicy | null {
  let best: PolicyCandidate | null = null;
  for (const c of candidates) {
    if (c.agencyPath !== null && (unitPath === null || !unitPath.startsWith(c.agencyPath))) continue;
    if (best === null || ranksBefore(c, best)) best = c;
  }
  if (!best) return null;
  const { categoryId: _c, agencyPath: _p, agencyDepth: _d, ...policy } = best;
  return policy;
}

function ranksBefore(a: PolicyCandidate, b: PolicyCandidate): boolean {
  const both = (c: PolicyCandidate) => (c.agencyPath !== null && c.categoryId !== null ? 1 : 0);
  if (both(a) !== both(b)) return both(a) > both(b);
  const byCategory = (c: PolicyCandidate) => (c.categoryId !== null ? 1 : 0);
  if (byCategory(a) !== byCategory(b)) return byCategory(a) > byCategory(b);
  // NULLS LAST on depth DESC: a national policy ranks after any agency's
  const depth = (c: PolicyCandidate) => c.agencyDepth ?? -1;
  if (depth(a) !== depth(b)) return depth(a) > depth(b);
  return a.id > b.id;
}

/** A unit that sets its own work calendar. */
export interface CalendarOwner {
  path: string;
  depth: number;
  calendarId: number;
}

/** The calendar a unit works by: the one set on its nearest ancestor (itself included), else null. */
export function pickCalendar(owners: readonly CalendarOwner[], unitPath: string): number | null {
  let best: CalendarOwner | null = null;
  for (const o of owners) if (unitPath.startsWith(o.path) && (best === null || o.depth > best.depth)) best = o;
  return best?.calendarId ?? null;
}
