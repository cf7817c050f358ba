/**
 * The replica bench's load: an open loop at fixed rates, so both runs send the same requests
 * whatever the machine's load (a closed loop would send fewer when the machine is busier, and
 * the runs would not compare). Requests that would pile up past `MAX_IN_FLIGHT` per kind are
 * skipped and counted.
 */

import { sleep } from '../../ops/drills/lib.ts';
import type { Workload } from '../../ops/drills/load.ts';

export const RATES = { intake: 2, lookup: 8, note: 0.5, dashboard: 1, portal: 2 } as const;
export type Kind = keyof typeof RATES;
const MAX_IN_FLIGHT = 16;

export interface Counts {
  ok: Record<Kind, number>;
  failed: Record<Kind, number>;
  skipped: Record<Kind, number>;
}

const zero = (): Record<Kind, number> => ({ intake: 0, lookup: 0, note: 0, dashboard: 0, portal: 0 });

/** Runs the paced load against `base` for `seconds`; complaints filed feed the lookups and notes. */
export async function pacedLoad(base: string, w: Workload, token: string, seconds: number, prefix: string): Promise<Counts> {
  const counts: Counts = { ok: zero(), failed: zero(), skipped: zero() };
  const filed: { id: string; trackingCode: string }[] = [];
  const staff = { authorization: `Bearer ${token}` };
  let n = 0;
  const send: Record<Kind, () => Promise<boolean>> = {
    intake: async () => {
      const i = n++;
      const r = await fetch(`${base}/api/v1/complaints`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `${prefix}-${i}` },
        body: JSON.stringify({
          channel: 'web',
          agencyId: w.agencies[i % w.agencies.length],
          countyId: w.counties[Math.floor(i / w.agencies.length) % w.counties.length],
          categoryId: w.categories[i % w.categories.length],
          description: `مراجعه کردم و کارمند باجه نبود؛ شمارهٔ آزمون ${i}. یک ساعت منتظر ماندم و کسی پاسخ نداد.`,
          contact: { phone: `0912${String(1_000_000 + ((i * 7919) % 9_000_000)).padStart(7, '0')}` },
        }),
        signal: AbortSignal.timeout(30_000),
      });
      if (r.status !== 201) return false;
      filed.push((await r.json()) as { id: string; trackingCode: string });
      return true;
    },
    lookup: async () => {
      const c = filed[Math.floor(Math.random() * filed.length)];
      return c ? (await fetch(`${base}/api/v1/track/${c.trackingCode}`, { signal: AbortSignal.timeout(30_000) })).ok : false;
    },
    note: async () => {
      const c = filed[Math.floor(Math.random() * filed.length)];
      if (!c) return false;
      const r = await fetch(`${base}/api/v1/complaints/${c.id}/actions`, {
        method: 'POST',
        headers: { ...staff, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'note', text: 'پیگیری شد (سنجش بار).' }),
        signal: AbortSignal.timeout(30_000),
      });
      return r.ok;
    },
    dashboard: async () => (await fetch(`${base}/api/v1/live/dashboard`, { headers: staff, signal: AbortSignal.timeout(30_000) })).ok,
    portal: async () => (await fetch(`${base}/api/v1/public/report-cards`, { signal: AbortSignal.timeout(30_000) })).ok,
  };
  const inFlight = new Set<Promise<void>>();
  const perKind = zero();
  const started = Date.now();
  const due = zero();
  // Ticks every 50 ms; each kind sends as many requests as its rate owes by now.
  while (Date.now() - started < seconds * 1000) {
    const elapsed = (Date.now() - started) / 1000;
    for (const kind of Object.keys(RATES) as Kind[]) {
      while (due[kind] < Math.floor(elapsed * RATES[kind]) + 1) {
        due[kind]++;
        if (perKind[kind] >= MAX_IN_FLIGHT) {
          counts.skipped[kind]++;
          continue;
        }
        perKind[kind]++;
        const p: Promise<void> = send[kind]()
          .then(
            (ok) => {
              if (ok) counts.ok[kind]++;
              else counts.failed[kind]++;
            },
            () => {
              counts.failed[kind]++;
            },
          )
          .finally(() => {
            perKind[kind]--;
            inFlight.delete(p);
          });
        inFlight.add(p);
      }
    }
    await sleep(50);
  }
  await Promise.all(inFlight);
  return counts;
}
