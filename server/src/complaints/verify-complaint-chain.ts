import type { Queryable } from '../db/database.ts';
import { verifyChain } from '../domain/hash-chain.ts';
import { type ComplaintState, evolve, initialState, LIFECYCLE_EVENT_TYPES, type LifecycleEvent } from '../domain/lifecycle.ts';
import { namedEmployeeDigest } from '../domain/named-employee.ts';
import { listEvents, type StoredEvent } from '../events/store.ts';

/** Rebuilds a complaint's lifecycle state from its events alone. */
export function rebuildState(events: StoredEvent[]): ComplaintState {
  const received = events[0];
  const data = (received?.data ?? {}) as { agencyId?: number | null; categoryId?: number | null; provinceId?: number | null; countyId?: number | null };
  let state = initialState({
    agencyId: data.agencyId ?? null,
    categoryId: data.categoryId ?? null,
    provinceId: data.provinceId ?? null,
    countyId: data.countyId ?? null,
  });
  for (const event of events) {
    if (!LIFECYCLE_EVENT_TYPES.has(event.type as LifecycleEvent['type'])) continue;
    state = evolve(state, { type: event.type, data: event.data } as LifecycleEvent, event.createdAt);
  }
  return state;
}

/** The digest of the named employee the events say the complaint holds: intake's, then each correction's (null: none). */
export function namedEmployeeDigestOf(events: StoredEvent[]): string | null {
  let digest: string | null = null;
  for (const event of events) {
    const data = (event.data ?? {}) as { namedEmployeeDigest?: string; digest?: string | null };
    if (event.type === 'received') digest = data.namedEmployeeDigest ?? null;
    if (event.type === 'employee_named') digest = data.digest ?? null;
  }
  return digest;
}

export interface ChainReport {
  complaintId: string;
  valid: boolean;
  events: number;
  brokenAtSeq?: number;
  reason?: string;
  /** The complaint row agrees with the state rebuilt from its events. */
  projectionMatches: boolean;
  mismatchedFields?: string[];
  headMatches: boolean;
}

/** Verifies a complaint's hash chain and that its row is the projection of its events. */
export async function verifyComplaintChain(db: Queryable, complaintId: string): Promise<ChainReport | null> {
  const { rows } = await db.query<
    ComplaintState & {
      lastSeq: number;
      headHash: string;
      pathMatches: boolean;
      employeeKey: string | null;
      employeeText: string | null;
      employeeSalt: string | null;
    }
  >(
    `SELECT c.status, c.province_id AS "provinceId", c.county_id AS "countyId", c.unit_id AS "unitId", c.agency_id AS "agencyId", c.category_id AS "categoryId", c.assignee_id AS "assigneeId",
            c.due_at AS "dueAt", c.answer, c.answered_at AS "answeredAt", c.closed_at AS "closedAt", c.outcome,
            c.reopen_count AS "reopenCount", c.escalation_count AS "escalationCount", c.dissatisfied_count AS "dissatisfiedCount",
            c.merged_into_id AS "mergedIntoId", c.named_employee AS "employeeKey", c.named_employee_text AS "employeeText", c.named_employee_salt AS "employeeSalt", c.last_seq AS "lastSeq", c.head_hash AS "headHash", (c.unit_path IS NOT DISTINCT FROM u.path) AS "pathMatches"
     FROM complaints c LEFT JOIN units u ON u.id = c.unit_id WHERE c.id = $1`,
    [complaintId],
  );
  const row = rows[0];
  if (!row) return null;
  const events = await listEvents(db, complaintId);
  const verdict = verifyChain(events);
  const rebuilt = rebuildState(events);
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
  // Every field of the lifecycle state, not a sample: these are what managers are judged on.
  const fields = Object.keys(rebuilt) as (keyof ComplaintState)[];
  const mismatched: string[] = fields.filter((f) => iso(rebuilt[f]) !== iso(row[f]));
  // The named employee is outside the lifecycle state, and the chain holds only its digest.
  const employee =
    row.employeeKey !== null && row.employeeText !== null && row.employeeSalt !== null
      ? { key: row.employeeKey, text: row.employeeText, salt: row.employeeSalt }
      : null;
  if (namedEmployeeDigest(complaintId, employee) !== namedEmployeeDigestOf(events)) mismatched.push('namedEmployee');
  const last = events[events.length - 1];
  return {
    complaintId,
    valid: verdict.valid,
    events: verdict.events,
    ...(verdict.valid ? {} : { brokenAtSeq: verdict.brokenAtSeq, reason: verdict.reason }),
    projectionMatches: mismatched.length === 0 && row.pathMatches,
    ...(mismatched.length ? { mismatchedFields: mismatched } : {}),
    headMatches: last !== undefined && last.seq === row.lastSeq && last.hash === row.headHash,
  };
}
