import type { Queryable } from '../db/database.ts';
import type { Period } from './periods.ts';
import { breachStats } from './stats-store.ts';

/** A unit's numbers for one period: what enforcement rules read from the report-card data. */
export interface UnitPeriodStats {
  unitId: number;
  unitPath: string;
  provinceId: number | null;
  /** The unit's inspection head now: the manager an action is about. */
  managerId: number | null;
  period: string;
  /** Complaints that arrived at the unit in the period (referred, transferred or escalated to it, reopened at it). */
  complaints: number;
  /** Deadlines the unit missed in the period (sla_breaches). */
  breaches: number;
  /** Of `complaints`, those whose phone was proved by who sent them (issue 11); absent: not counted. */
  verifiedComplaints?: number;
}

/**
 * The small seam between enforcement and report cards. The rollups being built for report
 * cards can implement it later; until then `breachStatsSource` counts straight from
 * `sla_breaches` and the event log.
 */
export interface ReportCardSource {
  unitPeriodStats(periods: Period[]): Promise<UnitPeriodStats[]>;
}

/** Counts per unit and period from sla_breaches (numerator) and arrivals in complaint_events (denominator). */
export function breachStatsSource(db: Queryable): ReportCardSource {
  return { unitPeriodStats: (periods) => (periods.length === 0 ? Promise.resolve([]) : breachStats(db, periods)) };
}
