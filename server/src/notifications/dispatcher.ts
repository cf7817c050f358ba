import type { Database } from '../db/database.ts';
import { startWorkLoop } from '../db/work-loop.ts';
import { claimComplaintOutbox, claimOutbox, markOutboxFailed, markOutboxSent, type OutboxMessage, releaseOutbox } from './outbox-store.ts';
import type { NotificationProvider } from './provider.ts';

export interface DispatchOptions {
  /** A provider per channel; a channel without one waits (its rows stay pending). */
  providers: Partial<Record<OutboxMessage['channel'], NotificationProvider>>;
  batchSize?: number;
  leaseSeconds?: number;
  /** Attempts before a message is dead-lettered. */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt (with ±20% jitter), capped at an hour. */
  baseDelayMs?: number;
  /** Test hook: runs after a send succeeded and before it is marked sent (a crash there must not lose the message). */
  afterSend?: (message: OutboxMessage) => Promise<void> | void;
  /** True once the process is draining: the rest of the claimed batch is handed back instead of sent. */
  stopping?: () => boolean;
  /** The time rows must be due by (tests drive it past a quiet-hours hold); the database clock when absent. */
  now?: Date;
}

/** The delay before attempt `attempts + 1`: exponential with jitter, capped. */
export function backoffMs(attempts: number, baseMs: number, random = Math.random): number {
  const exp = Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 3_600_000);
  return Math.round(exp * (0.8 + 0.4 * random()));
}

/** One round of delivery. Returns what happened to the claimed messages. */
export async function dispatchOnce(db: Database, options: DispatchOptions): Promise<{ sent: number; retried: number; dead: number; released: number }> {
  const channels = Object.keys(options.providers);
  return deliver(db, await claimOutbox(db.pool, channels, options.batchSize ?? 100, options.leaseSeconds ?? 60, options.now ?? null), options);
}

/**
 * Sends one complaint's message of one kind now, instead of at the dispatcher's next round: the
 * bot's filing receipt, in the chat the moment the citizen confirms. The same claim as the
 * dispatcher's, so whoever gets there first sends it and the other finds nothing: a redelivered
 * update, a second press or a dispatcher round never sends it twice. A failed send stays
 * pending for the dispatcher to retry.
 */
export async function dispatchNow(
  db: Database,
  which: { complaintId: string; template: string },
  options: DispatchOptions,
): Promise<{ sent: number; retried: number; dead: number; released: number }> {
  const rows = await claimComplaintOutbox(db.pool, which, Object.keys(options.providers), options.leaseSeconds ?? 60);
  return deliver(db, rows, options);
}

/** Sends claimed messages and marks each sent, or pending again with backoff, or dead. */
async function deliver(
  db: Database,
  messages: OutboxMessage[],
  options: DispatchOptions,
): Promise<{ sent: number; retried: number; dead: number; released: number }> {
  const result = { sent: 0, retried: 0, dead: 0, released: 0 };
  for (const [index, message] of messages.entries()) {
    // A batch of 100 sent one by one can outlast a shutdown's grace period on a busy machine:
    // on SIGTERM the message in hand is finished and the rest go back to the queue.
    if (options.stopping?.()) {
      result.released = await releaseOutbox(
        db.pool,
        messages.slice(index).map((m) => m.id),
      );
      break;
    }
    const provider = options.providers[message.channel]!;
    try {
      const receipt = await provider.send({
        to: message.recipientAddress,
        userId: message.recipientUserId,
        text: message.body,
        kind: message.template,
        deliveryKey: message.deliveryKey,
        complaintId: message.complaintId,
      });
      await options.afterSend?.(message);
      await markOutboxSent(db.pool, message.id, receipt?.providerMessageId ?? null);
      result.sent++;
    } catch (error) {
      if ((error as { crash?: boolean }).crash) throw error; // the test hook simulating a dying process
      const dead = message.attempts >= (options.maxAttempts ?? 8);
      await markOutboxFailed(db.pool, message.id, {
        dead,
        error: String((error as Error).message ?? error).slice(0, 500),
        retryInSeconds: backoffMs(message.attempts, options.baseDelayMs ?? 5000) / 1000,
      });
      if (dead) result.dead++;
      else result.retried++;
    }
  }
  return result;
}

/** Runs the dispatcher until stopped. */
export function startDispatcher(
  db: Database,
  options: DispatchOptions & { intervalMs: number; onError?: (error: unknown) => void },
): { stop: () => Promise<void> } {
  let stopping = false;
  const loop = startWorkLoop(
    async () => {
      const r = await dispatchOnce(db, { ...options, stopping: () => stopping || (options.stopping?.() ?? false) });
      return { full: r.sent + r.retried + r.dead >= (options.batchSize ?? 100) };
    },
    options.intervalMs,
    options.onError,
  );
  return {
    stop: async () => {
      stopping = true;
      await loop.stop();
    },
  };
}
