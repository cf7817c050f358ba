import type { StaffPrincipal } from '../core/scope.ts';
import type { Queryable } from '../db/database.ts';
import { clusterTexts } from './similarity.ts';
import { openComplaintTexts } from './store.ts';

export interface IncidentSuggestion {
  organisation: { id: number; nameFa: string };
  /** How many open complaints say the same thing. */
  count: number;
  firstAt: string;
  lastAt: string;
  /** The offices they were referred to (distinct, as named). */
  units: string[];
  /** One member's text, as an example of what they say. */
  example: string;
  complaints: { id: string; trackingCode: string; createdAt: string }[];
}

/** The most open complaints one suggestion run reads (newest first). */
const READ_LIMIT = 5000;

/**
 * Suggested incidents (issue 15): open complaints at one organisation, filed in the last `hours`,
 * that say the same thing — one outage seen as one cause. Read-only: staff open the incident.
 */
export async function suggestIncidents(
  db: Queryable,
  user: StaffPrincipal,
  options: { hours: number; minSize: number; now: Date },
): Promise<IncidentSuggestion[]> {
  const since = new Date(options.now.getTime() - options.hours * 3_600_000);
  const rows = await openComplaintTexts(db, user, since, READ_LIMIT);
  const byOrganisation = new Map<number, typeof rows>();
  for (const r of rows) byOrganisation.set(r.organisationId, [...(byOrganisation.get(r.organisationId) ?? []), r]);
  const out: IncidentSuggestion[] = [];
  for (const group of byOrganisation.values()) {
    const byId = new Map(group.map((r) => [r.id, r]));
    for (const ids of clusterTexts(
      group.map((r) => ({ id: r.id, text: r.description })),
      { minSize: options.minSize },
    )) {
      const members = ids.map((id) => byId.get(id)!).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      out.push({
        organisation: { id: members[0]!.organisationId, nameFa: members[0]!.organisationNameFa },
        count: members.length,
        firstAt: members[0]!.createdAt,
        lastAt: members.at(-1)!.createdAt,
        units: [...new Set(members.flatMap((m) => (m.unitNameFa ? [m.unitNameFa] : [])))],
        example: members[0]!.description.slice(0, 300),
        complaints: members.map((m) => ({ id: m.id, trackingCode: m.trackingCode, createdAt: m.createdAt })),
      });
    }
  }
  return out.sort((a, b) => b.count - a.count);
}
