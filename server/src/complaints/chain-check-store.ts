import type { Queryable } from '../db/database.ts';
import type { ComplaintState } from '../domain/lifecycle.ts';
import type { PendingTimer, ReceivedFacts } from './complaint-facts.ts';

/** What the chain check compares with the events: the complaint row, its contact and its pending timers. */
export type StoredProjection = ComplaintState &
  ReceivedFacts & {
    lastSeq: number;
    headHash: string;
    pathMatches: boolean;
    employeeKey: string | null;
    employeeText: string | null;
    employeeSalt: string | null;
    breachCount: number;
    firstActionDueAt: Date | null;
    contact: { phone: string; name: string | null; nationalId: string | null } | null;
    replyChannel: string | null;
    replyAddress: string | null;
    timers: PendingTimer[];
  };

/** The complaint row with its contact and pending timers, in one read. */
export async function loadStoredProjection(db: Queryable, complaintId: string): Promise<StoredProjection | null> {
  return (await loadStoredProjections(db, [complaintId])).get(complaintId) ?? null;
}

/** The rows of many complaints with their contacts and pending timers, in one read, by complaint id (missing ones absent). */
export async function loadStoredProjections(db: Queryable, complaintIds: string[]): Promise<Map<string, StoredProjection>> {
  const { rows } = await db.query<StoredProjection & { complaintId: string }>(
    `SELECT c.id AS "complaintId", c.status, c.province_id AS "provinceId", c.county_id AS "countyId", c.unit_id AS "unitId", c.agency_id AS "agencyId", c.category_id AS "categoryId", c.assignee_id AS "assigneeId",
            c.due_at AS "dueAt", c.answer, c.answered_at AS "answeredAt", c.closed_at AS "closedAt", c.outcome,
            c.reopen_count AS "reopenCount", c.escalation_count AS "escalationCount", c.dissatisfied_count AS "dissatisfiedCount",
            c.merged_into_id AS "mergedIntoId", c.named_employee AS "employeeKey", c.named_employee_text AS "employeeText", c.named_employee_salt AS "employeeSalt", c.last_seq AS "lastSeq", c.head_hash AS "headHash", (c.unit_path IS NOT DISTINCT FROM u.path) AS "pathMatches",
            c.tracking_code AS "trackingCode", c.channel, c.office_text AS "officeText", c.service_id AS "serviceId", c.urgent, c.description,
            c.location_lat AS "locationLat", c.location_lng AS "locationLng", c.location_text AS "locationText", c.confidential, c.language, c.country,
            c.created_at AS "createdAt", c.breach_count AS "breachCount", c.first_action_due_at AS "firstActionDueAt",
            c.reply_channel AS "replyChannel", c.reply_address AS "replyAddress",
            (SELECT json_build_object('phone', cc.phone, 'name', cc.name, 'nationalId', cc.national_id) FROM complainant_contacts cc WHERE cc.complaint_id = c.id) AS contact,
            COALESCE((SELECT json_agg(json_build_object('kind', t.kind, 'fireAt', t.fire_at, 'dueAt', t.due_at, 'unitId', t.unit_id, 'later', t.later))
                      FROM sla_timers t WHERE t.complaint_id = c.id AND t.fired_at IS NULL), '[]') AS timers
     FROM complaints c LEFT JOIN units u ON u.id = c.unit_id WHERE c.id = ANY($1::uuid[])`,
    [complaintIds],
  );
  return new Map(rows.map(({ complaintId, ...row }) => [complaintId, row]));
}
