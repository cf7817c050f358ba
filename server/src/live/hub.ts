import { type StaffPrincipal, scopeKey } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import { LIVE_CHANNEL } from '../events/unit-of-work.ts';
import { type LiveCursor, type LiveEvent, liveEventsAfter, liveEventsForViewers, liveHead } from './store.ts';

export { LIVE_CHANNEL };

/** One open feed: a viewer and where to write. */
export interface LiveSubscriber {
  user: StaffPrincipal;
  /** The last ids sent (moves forward only). */
  cursor: LiveCursor;
  send(events: LiveEvent[], cursor: LiveCursor): void;
  /** Told when events may have been missed (a dropped LISTEN connection, a catch-up too long): reload. */
  reset(cursor: LiveCursor): void;
}

const CATCH_UP_LIMIT = 500;

/**
 * The live feed of one instance: a single LISTEN (on its own connection) fanned out to every
 * open SSE stream. The unit of work sends one notification per committed transaction with the
 * ids of its events (events/unit-of-work.ts); each batch of them is read back in one query for
 * every distinct viewer scope at once, each scope a condition in that query, so an out-of-scope
 * event is never even loaded for that viewer. Batching (a few ms) keeps a burst of intake to a
 * query every few milliseconds, however many people watch.
 */
export class LiveHub {
  private readonly subscribers = new Set<LiveSubscriber>();
  private pendingEvents = new Set<number>();
  private pendingAlerts = new Set<number>();
  private flushing: Promise<void> = Promise.resolve();
  private scheduled = false;
  /** The one LISTEN of this instance, started by the first feed (two feeds opening together share it). */
  private listening: Promise<() => Promise<void>> | null = null;
  /** Recently sent keys per feed: a catch-up and a live batch may overlap. */
  private readonly sent = new WeakMap<LiveSubscriber, Set<string>>();

  constructor(
    private readonly db: Database,
    private readonly options: { batchMs?: number; onError?: (error: unknown) => void } = {},
  ) {}

  /** Starts listening (once); safe to call again. */
  async start(): Promise<void> {
    this.listening ??= this.db.listen(
      LIVE_CHANNEL,
      (payload) => this.announce(payload),
      () => this.resync(),
    );
    try {
      await this.listening;
    } catch (error) {
      this.listening = null; // the next feed tries again
      throw error;
    }
  }

  async stop(): Promise<void> {
    const listening = this.listening;
    this.listening = null;
    const stop = await listening?.catch(() => null);
    await stop?.();
    await this.flushing;
    this.subscribers.clear();
  }

  get size(): number {
    return this.subscribers.size;
  }

  /** Adds a feed; when it resumes from a cursor, what it missed is sent first. */
  async subscribe(subscriber: LiveSubscriber, resume: boolean): Promise<() => void> {
    this.subscribers.add(subscriber);
    if (resume) await this.catchUp(subscriber);
    return () => {
      this.subscribers.delete(subscriber);
    };
  }

  /** A payload is a kind letter and ids: 'e12,13,15' (complaint events), 'a5' (a hotspot alert). */
  private announce(payload: string): void {
    const pending = payload[0] === 'e' ? this.pendingEvents : payload[0] === 'a' ? this.pendingAlerts : null;
    if (!pending) return;
    let any = false;
    for (const part of payload.slice(1).split(',')) {
      const id = Number(part);
      if (!Number.isSafeInteger(id) || id <= 0) continue;
      pending.add(id);
      any = true;
    }
    if (!any) return;
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.flushing = this.flushing.then(() => this.flush()).catch((error) => this.options.onError?.(error));
    }, this.options.batchMs ?? 5).unref();
  }

  private async flush(): Promise<void> {
    const eventIds = [...this.pendingEvents];
    const alertIds = [...this.pendingAlerts];
    this.pendingEvents = new Set();
    this.pendingAlerts = new Set();
    if (this.subscribers.size === 0 || eventIds.length + alertIds.length === 0) return;
    const groups = new Map<string, LiveSubscriber[]>();
    for (const s of this.subscribers) groups.set(scopeKey(s.user), [...(groups.get(scopeKey(s.user)) ?? []), s]);
    const members = [...groups.values()];
    const perScope = await liveEventsForViewers(
      this.db.pool,
      members.map((m) => m[0]!.user),
      eventIds,
      alertIds,
    );
    members.forEach((group, i) => {
      const events = perScope[i]!;
      if (events.length > 0) for (const s of group) if (this.subscribers.has(s)) this.deliver(s, events);
    });
  }

  private deliver(s: LiveSubscriber, all: LiveEvent[]): void {
    const sent = this.sent.get(s) ?? new Set<string>();
    this.sent.set(s, sent);
    const events = all.filter((e) => !sent.has(`${e.source}:${e.id}`));
    if (events.length === 0) return;
    for (const e of events) sent.add(`${e.source}:${e.id}`);
    if (sent.size > 5000) for (const key of [...sent].slice(0, sent.size - 2000)) sent.delete(key);
    const cursor = { ...s.cursor };
    for (const e of events) {
      if (e.source === 'complaint') cursor.event = Math.max(cursor.event, e.id);
      else cursor.alert = Math.max(cursor.alert, e.id);
    }
    s.cursor = cursor;
    s.send(events, cursor);
  }

  private async catchUp(s: LiveSubscriber): Promise<void> {
    const { events, truncated } = await liveEventsAfter(this.db.pool, s.user, s.cursor, CATCH_UP_LIMIT);
    if (truncated) {
      s.cursor = await liveHead(this.db.pool);
      s.reset(s.cursor);
      return;
    }
    if (events.length) this.deliver(s, events);
  }

  /** After the LISTEN connection was re-opened: each feed catches up from its cursor. */
  private resync(): void {
    this.flushing = this.flushing
      .then(async () => {
        for (const s of [...this.subscribers]) await this.catchUp(s);
      })
      .catch((error) => this.options.onError?.(error));
  }
}
