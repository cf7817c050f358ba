import type { Database, Queryable } from '../db/database.ts';
import { enqueue } from '../notifications/outbox.ts';
import { proposalNotice, withHeadCopy } from './notices.ts';
import { completedPeriods } from './periods.ts';
import type { ReportCardSource } from './report-card-source.ts';
import { type ActionKind, evaluateRules } from './rules.ts';
import { actionAudiences, insertSuggestions, listRules, priorWarnings } from './store.ts';

/**
 * Runs the enforcement rules over the completed Jalali months before `asOf` and records what
 * they suggest, each with a notice to the manager (in the same transaction) and a reply window.
 * Running it again for the same month adds nothing. `record` writes the run's outcome in that
 * same transaction. Returns the new actions.
 */
export async function suggestActions(
  db: Database,
  source: ReportCardSource,
  options: { asOf: Date; replyDays: number; now: Date; record?: (tx: Queryable, created: number) => Promise<void> },
): Promise<{ period: string | null; created: { id: number; managerId: number; kind: ActionKind; unitId: number; period: string }[] }> {
  const now = options.now;
  const rules = (await listRules(db.pool)).filter((r) => r.active);
  const span = Math.max(1, ...rules.map((r) => r.periods));
  const periods = completedPeriods(options.asOf, span);
  const [stats, prior] = await Promise.all([source.unitPeriodStats(periods), priorWarnings(db.pool, options.asOf)]);
  const suggestions = evaluateRules(rules, stats, periods, prior);
  const replyDueAt = new Date(now.getTime() + options.replyDays * 86_400_000);
  const created = await db.transaction(async (tx) => {
    const rows = await insertSuggestions(tx, suggestions, now, replyDueAt);
    const audience = await actionAudiences(
      tx,
      rows.map((r) => r.id),
    );
    await enqueue(
      tx,
      rows.flatMap((row) =>
        withHeadCopy(proposalNotice({ ...row, unitName: audience.get(row.id)?.unitName ?? '', replyDueAt }), row, audience.get(row.id), 'notice'),
      ),
      now,
    );
    await options.record?.(tx, rows.length);
    return rows;
  });
  return { period: periods.at(-1)?.key ?? null, created };
}
