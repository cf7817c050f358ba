import { AppError } from '../core/errors.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import { type Period, periodBounds } from '../domain/jalali-periods.ts';
import { buildReportCard } from './build-report-card.ts';
import { type CardVersion, insertCardVersion, listCardVersions } from './store.ts';

/**
 * Publishes a period's report card: the public card and the national official card are built
 * from the rollups and frozen as new versions. Publishing again is a correction: it needs a
 * note, and the earlier versions stay readable. Only a finished period: a card frozen mid-month
 * would publish a month's first days as if they were the month.
 */
export async function publishReportCard(
  db: Database,
  input: { period: Period; user: StaffPrincipal; note: string; minComplaints: number; now: Date },
): Promise<{ public: CardVersion; official: CardVersion }> {
  const at = input.now;
  const note = input.note.trim();
  if (periodBounds(input.period).endsAt > at) throw new AppError('period_not_finished', { period: input.period.key });
  if ((await listCardVersions(db.pool, input.period.key, 'public')).length > 0 && note === '') throw new AppError('correction_note_required');
  return db.transaction(async (tx) => {
    const common = { period: input.period, minComplaints: input.minComplaints, now: at };
    const publicCard = await buildReportCard(tx, { ...common, audience: 'public', user: null });
    const officialCard = await buildReportCard(tx, { ...common, audience: 'official', user: null });
    const meta = { periodKind: input.period.kind, periodKey: input.period.key, note, publishedBy: input.user.id, at };
    return {
      public: await insertCardVersion(tx, { ...meta, audience: 'public', content: publicCard }),
      official: await insertCardVersion(tx, { ...meta, audience: 'official', content: officialCard }),
    };
  });
}
