/**
 * The time every write path reads. One clock is made in `main.ts` and passed to the unit of work,
 * the SLA sweeper and the use cases, so a change, its events, its deadlines and the SQL that
 * compares with them all see the same instant — and a test can move time forward instead of
 * rewriting deadlines in the database. (Not the business clock of `domain/business-clock.ts`,
 * which counts working hours.)
 */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock a test moves by hand. */
export class ManualClock implements Clock {
  private at: number;
  constructor(start: Date = new Date()) {
    this.at = start.getTime();
  }
  now(): Date {
    return new Date(this.at);
  }
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void {
    this.at += ms;
  }
  set(at: Date): void {
    this.at = at.getTime();
  }
}
