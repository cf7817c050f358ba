/**
 * The drills' mixed load, as citizens and staff would send it: intake with an Idempotency-Key
 * (retried with the same key until it is answered), public tracking lookups, staff notes, and
 * live-feed (SSE) clients that reconnect with Last-Event-ID. Requests go round-robin over the
 * instances; one that refuses (restarting) is skipped for the next.
 */
import { DEMO_PROVINCES } from '../../server/src/seed/demo.ts';
import { now, queryRetrying, sleep } from './lib.ts';

export interface Workload {
  agencies: number[];
  counties: number[];
  categories: number[];
}

export async function loadWorkload(url: string): Promise<Workload> {
  const agencies = await queryRetrying<{ id: number }>(url, `SELECT id FROM units WHERE code = ANY($1) ORDER BY id`, [
    ['MOH', 'SSO', 'INTA', 'TAVANIR', 'ABFA'],
  ]);
  const counties = await queryRetrying<{ id: number }>(
    url,
    'SELECT c.id FROM counties c JOIN provinces p ON p.id = c.province_id WHERE p.name_fa = $1 ORDER BY c.id',
    [DEMO_PROVINCES[0]],
  );
  const categories = await queryRetrying<{ id: number }>(url, 'SELECT id FROM categories WHERE active ORDER BY sort_order, id LIMIT 4');
  if (!agencies.length || !counties.length || !categories.length) throw new Error('the demo seed is missing (agencies, counties, categories)');
  return { agencies: agencies.map((r) => r.id), counties: counties.map((r) => r.id), categories: categories.map((r) => r.id) };
}

export interface LoadStats {
  /** Tracking codes of complaints whose intake was answered 200/201 (acknowledged to the citizen). */
  acknowledged: Map<string, string>;
  intakeAttempts: number;
  intakeRetries: number;
  /** performance.now() of each acknowledged intake's answer, and of the request's start. */
  intakeDone: { started: number; answered: number }[];
  lookups: { ok: number; failed: number };
  notes: { ok: number; failed: number };
  sse: { clients: number; events: number; reconnects: number };
}

export class MixedLoad {
  readonly stats: LoadStats = {
    acknowledged: new Map(),
    intakeAttempts: 0,
    intakeRetries: 0,
    intakeDone: [],
    lookups: { ok: 0, failed: 0 },
    notes: { ok: 0, failed: 0 },
    sse: { clients: 0, events: 0, reconnects: 0 },
  };
  private running = true;
  private next = 0;
  private readonly tasks: Promise<void>[] = [];
  private readonly aborts: AbortController[] = [];

  constructor(
    private readonly bases: () => string[],
    private readonly w: Workload,
    readonly prefix: string,
  ) {}

  private base(): string {
    const all = this.bases();
    return all[this.next++ % all.length]!;
  }

  start(options: { intake: number; lookups: number; staff: number; sse: number; staffToken: string }): void {
    for (let i = 0; i < options.intake; i++) this.tasks.push(this.intakeLoop(i));
    for (let i = 0; i < options.lookups; i++) this.tasks.push(this.lookupLoop());
    for (let i = 0; i < options.staff; i++) this.tasks.push(this.staffLoop(options.staffToken));
    for (let i = 0; i < options.sse; i++) this.tasks.push(this.sseLoop(options.staffToken));
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const a of this.aborts) a.abort();
    await Promise.all(this.tasks);
  }

  private body(n: number): string {
    const { agencies, counties, categories } = this.w;
    return JSON.stringify({
      channel: 'web',
      agencyId: agencies[n % agencies.length],
      countyId: counties[Math.floor(n / agencies.length) % counties.length],
      categoryId: categories[n % categories.length],
      description: `مراجعه کردم و کارمند باجه نبود؛ شمارهٔ آزمون ${n}. یک ساعت منتظر ماندم و کسی پاسخ نداد.`,
      contact: { phone: `0912${String(1_000_000 + ((n * 7919) % 9_000_000)).padStart(7, '0')}` },
    });
  }

  /** One citizen after another; each complaint is sent until answered, always with its own key. */
  private async intakeLoop(worker: number): Promise<void> {
    for (let k = 0; this.running; k++) {
      const n = worker * 1_000_000 + k;
      const key = `${this.prefix}-${n}`;
      const body = this.body(n);
      const started = now();
      for (let attempt = 0; ; attempt++) {
        // A complaint already sent keeps being retried after the load stops (up to 60 s): the
        // citizen's app does that, and only an answered request is "acknowledged".
        if (!this.running && now() - started > 60_000) break;
        this.stats.intakeAttempts++;
        if (attempt > 0) this.stats.intakeRetries++;
        const reply = await fetch(`${this.base()}/api/v1/complaints`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': key },
          body,
          signal: AbortSignal.timeout(30_000),
        }).then(
          async (r) => ({ status: r.status, json: (await r.json().catch(() => ({}))) as { trackingCode?: string } }),
          () => ({ status: 0, json: {} as { trackingCode?: string } }),
        );
        if ((reply.status === 200 || reply.status === 201) && reply.json.trackingCode) {
          this.stats.acknowledged.set(key, reply.json.trackingCode);
          this.stats.intakeDone.push({ started, answered: now() });
          break;
        }
        if (reply.status >= 400 && reply.status < 500 && reply.status !== 429)
          throw new Error(`intake refused (${reply.status}): ${JSON.stringify(reply.json)}`);
        await sleep(200);
      }
    }
  }

  private codes(): string[] {
    return [...this.stats.acknowledged.values()];
  }

  private async lookupLoop(): Promise<void> {
    while (this.running) {
      const codes = this.codes();
      if (codes.length === 0) {
        await sleep(100);
        continue;
      }
      const code = codes[Math.floor(Math.random() * codes.length)]!;
      const ok = await fetch(`${this.base()}/api/v1/track/${code}`, { signal: AbortSignal.timeout(10_000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) this.stats.lookups.ok++;
      else this.stats.lookups.failed++;
      await sleep(20);
    }
  }

  /** Staff notes on recent complaints (not retried: a note cut mid-flight is the user's to resend). */
  private async staffLoop(token: string): Promise<void> {
    while (this.running) {
      const codes = this.codes();
      await sleep(150);
      if (codes.length === 0) continue;
      const code = codes[Math.floor(Math.random() * codes.length)]!;
      const base = this.base();
      const ok = await fetch(`${base}/api/v1/complaints?trackingCode=${code}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(10_000),
      })
        .then(async (r) => (r.ok ? ((await r.json()) as { items?: { id: string }[] }) : null))
        .then(async (list) => {
          const id = list?.items?.[0]?.id;
          if (!id) return false;
          const r = await fetch(`${base}/api/v1/complaints/${id}/actions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ action: 'note', text: 'پیگیری شد (آزمون جابه‌جایی).' }),
            signal: AbortSignal.timeout(10_000),
          });
          return r.ok;
        })
        .catch(() => false);
      if (ok) this.stats.notes.ok++;
      else this.stats.notes.failed++;
    }
  }

  /** A staff dashboard's live feed: reads events; when the stream ends, reconnects elsewhere. */
  private async sseLoop(token: string): Promise<void> {
    const abort = new AbortController();
    this.aborts.push(abort);
    let lastId: string | null = null;
    let first = true;
    while (this.running) {
      try {
        const response = await fetch(`${this.base()}/api/v1/live/events`, {
          headers: { authorization: `Bearer ${token}`, ...(lastId ? { 'last-event-id': lastId } : {}) },
          signal: abort.signal,
        });
        if (response.ok && response.body) {
          if (first) this.stats.sse.clients++;
          else this.stats.sse.reconnects++;
          first = false;
          const decoder = new TextDecoder();
          for await (const chunk of response.body) {
            const text = decoder.decode(chunk as Uint8Array, { stream: true });
            for (const line of text.split('\n')) {
              if (line.startsWith('id: ')) lastId = line.slice(4);
              if (line.startsWith('event: ') && !line.includes('ready')) this.stats.sse.events++;
            }
          }
        }
      } catch {
        // the instance went away mid-stream: reconnect below
      }
      if (this.running) await sleep(500);
    }
  }
}
