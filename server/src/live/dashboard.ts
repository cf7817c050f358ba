import type { StaffPrincipal } from '../core/scope.ts';
import type { Queryable } from '../db/database.ts';
import { busiestAgencies, dashboardCounts, provinceCounts } from './dashboard-store.ts';
import type { MapMeasure } from './schema.ts';

const jalaliDay = new Intl.DateTimeFormat('fa-IR-u-ca-persian', { timeZone: 'Asia/Tehran', year: 'numeric', month: 'long', day: 'numeric' });

/** The live dashboard in the viewer's scope: today (Asia/Tehran), the last hour, open work by SLA state, the map and the busiest agencies. */
export async function liveDashboard(db: Queryable, user: StaffPrincipal, options: { measure: MapMeasure; limit: number; now: Date }) {
  const now = options.now;
  const [counts, provinces, agencies] = await Promise.all([
    dashboardCounts(db, user, now),
    provinceCounts(db, user, now),
    busiestAgencies(db, user, now, options.limit),
  ]);
  const mapValue = (p: (typeof provinces)[number]): number => {
    switch (options.measure) {
      case 'complaints_today':
        return p.complaintsToday;
      case 'complaints_today_per_100k':
        return p.population ? Math.round((p.complaintsToday / p.population) * 100_000 * 1000) / 1000 : 0;
      case 'open':
        return p.open;
      case 'breached_open':
        return p.breachedOpen;
      case 'breaches_today':
        return p.breachesToday;
    }
  };
  return {
    generatedAt: now.toISOString(),
    today: { start: counts.dayStart.toISOString(), jalali: jalaliDay.format(now) },
    complaints: counts.complaints,
    open: counts.open,
    breaches: counts.breaches,
    measure: options.measure,
    provinces: provinces.map((p) => ({ ...p, value: mapValue(p) })),
    busiestAgencies: agencies,
  };
}
