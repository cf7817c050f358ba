/**
 * A per-address budget of lookups per minute where one request may cost many: a list of 100
 * service_request_ids is 100 lookups, not one request (@fastify/rate-limit counts requests only).
 * Fixed one-minute windows kept in memory, like the plugin's default store; one process serves
 * Open311, so the count is exact there.
 */
export class LookupBudget {
  private readonly used = new Map<string, { windowStart: number; spent: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Spends `cost` lookups for `key`; false (nothing spent) when that would pass the budget. */
  spend(key: string, cost: number): boolean {
    const now = this.now();
    this.forgetOldWindows(now);
    const entry = this.used.get(key);
    const current = entry && now - entry.windowStart < 60_000 ? entry : { windowStart: now, spent: 0 };
    if (current.spent + cost > this.perMinute) {
      // A refused request still counts as one, so hammering with oversize lists is not free.
      current.spent = Math.min(this.perMinute, current.spent + 1);
      this.used.set(key, current);
      return false;
    }
    current.spent += cost;
    this.used.set(key, current);
    return true;
  }

  /** Seconds until `key`'s window ends. */
  retryAfter(key: string): number {
    const entry = this.used.get(key);
    return entry ? Math.max(1, Math.ceil((entry.windowStart + 60_000 - this.now()) / 1000)) : 1;
  }

  private forgetOldWindows(now: number) {
    if (this.used.size < 10_000) return;
    for (const [key, entry] of this.used) if (now - entry.windowStart >= 60_000) this.used.delete(key);
  }
}
