import type { Clock } from '../core/clock.ts';
import type { Database } from '../db/database.ts';
import { startWorkLoop } from '../db/work-loop.ts';
import { toPersianDigits } from '../domain/persian-text.ts';
import { enqueue } from '../notifications/outbox.ts';
import { assess } from './poisson.ts';
import { alertRecipients, closeAlert, listSettings, openAlert, openAlertKeys, subjectCounts, touchAlert, tryLockScan } from './store.ts';

const DIMENSION_FA = { unit: 'اداره', category: 'نوع شکایت در استان', employee: 'کارمند نام‌برده' } as const;

export interface ScanResult {
  scanned: boolean;
  opened: number[];
  closed: number[];
}

/**
 * One scan: for every active dimension, counts complaints per subject in the window and the
 * trailing baseline, opens an alert for each unusual rise that has none open (its live event is
 * the row's NOTIFY trigger; supervisors in scope get an outbox message), keeps open alerts that
 * still hold and closes those that no longer do. All in one transaction.
 */
export async function detectHotspots(db: Database, now: Date): Promise<ScanResult> {
  return db.transaction(async (tx) => {
    if (!(await tryLockScan(tx))) return { scanned: false, opened: [], closed: [] };
    const opened: number[] = [];
    const closed: number[] = [];
    for (const settings of (await listSettings(tx)).filter((s) => s.active)) {
      const open = await openAlertKeys(tx, settings.dimension);
      const counts = await subjectCounts(tx, settings, now, [...open.keys()]);
      const stillHot = new Set<string>();
      for (const c of counts) {
        const a = assess(c.windowCount, c.baselineCount, settings);
        if (!a.hot) continue;
        stillHot.add(c.subjectKey);
        const existing = open.get(c.subjectKey);
        if (existing !== undefined) {
          await touchAlert(tx, existing, c.windowCount, now, c.verifiedCount);
          continue;
        }
        const id = await openAlert(tx, settings.dimension, c, a, now);
        if (id === null) continue;
        opened.push(id);
        const recipients = await alertRecipients(tx, c.provinceId);
        await enqueue(
          tx,
          recipients.map((userId) => ({
            complaintId: null,
            eventSeq: null,
            template: 'hotspot_alert' as const,
            channel: 'web' as const,
            recipientUserId: userId,
            recipientAddress: null,
            language: 'fa' as const,
            // How many rest on a proved phone (issue 11): an alert of typed-in phones alone may be fabricated.
            body: toPersianDigits(
              `هشدار افزایش غیرعادی شکایت (${DIMENSION_FA[settings.dimension]}): ${c.windowCount} شکایت در ${settings.windowMinutes} دقیقهٔ گذشته، در برابر ${a.expected.toFixed(1)} مورد انتظار؛ ${c.verifiedCount} مورد با تلفن تأییدشده.`,
            ),
            smsParts: null,
            deliveryKey: `hotspot:${id}:${userId}`,
          })),
          now,
        );
      }
      for (const [key, id] of open) {
        if (stillHot.has(key)) continue;
        await closeAlert(tx, id, now);
        closed.push(id);
      }
    }
    return { scanned: true, opened, closed };
  });
}

/** Scans every `intervalMs` in this instance (every instance may run it: the lock lets one scan at a time). */
export function startHotspotDetector(
  db: Database,
  options: { clock: Clock; intervalMs: number; onError?: (error: unknown) => void },
): { stop: () => Promise<void> } {
  return startWorkLoop(
    async () => {
      await detectHotspots(db, options.clock.now());
      return { full: false };
    },
    options.intervalMs,
    options.onError,
  );
}
