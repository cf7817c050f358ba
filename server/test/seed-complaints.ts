import { randomBytes, randomUUID } from 'node:crypto';
import type { Unit } from '../src/agencies/store.ts';
import type { Queryable } from '../src/db/database.ts';
import { parseNamedEmployee } from '../src/domain/named-employee.ts';

const hex64 = () => randomBytes(32).toString('hex');
let codeCounter = 0;

/**
 * A complaint written straight into the tables at a chosen time and state, with its `received`
 * and `referred` events (hashes are random: these fixtures are for counting, not for the chain).
 * Counting tests (dashboard, enforcement, hotspots) need complaints in the past, which intake
 * cannot make.
 */
export async function seedComplaint(
  db: Queryable,
  o: {
    unit: Unit;
    agencyId: number;
    createdAt: Date;
    status?: 'referred' | 'answered' | 'closed';
    categoryId?: number | null;
    dueAt?: Date | null;
    breachCount?: number;
    /** As a citizen would write it: stored as intake stores it (text and grouping key). */
    namedEmployee?: string | null;
    /** Where the citizen is, for a unit above the provinces (default: the unit's province). */
    provinceId?: number;
  },
): Promise<{ id: string; trackingCode: string }> {
  const id = randomUUID();
  codeCounter++;
  const trackingCode = `9${String(Date.now() % 1e6).padStart(6, '0')}${String(codeCounter % 1e5).padStart(5, '0')}`;
  const status = o.status ?? 'referred';
  const named = o.namedEmployee ? parseNamedEmployee(o.namedEmployee) : null;
  if (named && !named.ok) throw new Error(`not a valid named employee: ${o.namedEmployee}`);
  const first = hex64();
  const second = hex64();
  await db.query(
    `INSERT INTO complaints (id, tracking_code, channel, status, agency_id, unit_id, unit_path, province_id, county_id, category_id, description,
       due_at, answer, answered_at, closed_at, outcome, breach_count, named_employee, named_employee_text, named_employee_salt, last_seq, head_hash, created_at, updated_at)
     VALUES ($1, $2, 'web', $3, $4, $5, $6, $7, $8, $9, 'شکایت آزمایشی برای شمارش', $10, $11, $12, $13, $14, $15, $16, $19, $20, 2, $17, $18, $18)`,
    [
      id,
      trackingCode,
      status,
      o.agencyId,
      o.unit.id,
      o.unit.path,
      o.provinceId ?? o.unit.provinceId,
      o.unit.countyId,
      o.categoryId ?? null,
      o.dueAt ?? null,
      status === 'referred' ? null : 'پاسخ',
      status === 'referred' ? null : o.createdAt,
      status === 'closed' ? o.createdAt : null,
      status === 'closed' ? 'satisfied' : null,
      o.breachCount ?? 0,
      named?.ok ? named.value.key : null,
      second,
      o.createdAt,
      named?.ok ? named.value.text : null,
      named?.ok ? named.value.salt : null,
    ],
  );
  await db.query(
    `INSERT INTO complaint_events (complaint_id, seq, type, actor_kind, data, created_at, prev_hash, hash) VALUES
       ($1, 1, 'received', 'citizen', '{}', $2, $3, $4),
       ($1, 2, 'referred', 'system', $5, $2, $4, $6)`,
    [
      id,
      o.createdAt,
      '0'.repeat(64),
      first,
      JSON.stringify({ unitId: o.unit.id, agencyId: o.agencyId, categoryId: o.categoryId ?? null, dueAt: null }),
      second,
    ],
  );
  return { id, trackingCode };
}

/** A breach recorded against a unit (and its manager) at a time. */
export async function seedBreach(db: Queryable, o: { complaintId: string; unit: Unit; managerId: number | null; at: Date }): Promise<void> {
  await db.query(
    `INSERT INTO sla_breaches (complaint_id, unit_id, manager_id, kind, due_at, breached_at, escalated_to) VALUES ($1, $2, $3, 'answer', $4, $4, NULL)`,
    [o.complaintId, o.unit.id, o.managerId, o.at],
  );
}
