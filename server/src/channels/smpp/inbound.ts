import { createHash } from 'node:crypto';
import type smpp from 'smpp';
import { systemClock } from '../../core/clock.ts';
import type { Database } from '../../db/database.ts';
import { handleInboundSms, type InboundResult, type InboundSms } from '../sms/inbound.ts';
import { type Concat, ESM_CLASS, readMessage } from './codec.ts';
import { type SmppLogger, sleep } from './link.ts';
import { deleteStoredSet, loadStoredParts, storePart } from './store.ts';

/** A delivery receipt the SMSC sent for one of our submit_sm parts. */
export interface DeliveryReceipt {
  /** The SMSC's message id (submit_sm_resp.message_id): matches outbox.provider_message_id for the last part. */
  messageId: string;
  /** DELIVRD, UNDELIV, EXPIRED, REJECTD, … (from the `stat:` field or the message_state TLV). */
  state: string;
  /** The `err:` field, when given. */
  error: string | null;
  /** The handset the message was for. */
  recipient: string;
  raw: string;
}

// Without an `inbound` handler (tests of the protocol alone) texts are filed on the wall clock; main.ts passes its own.
export interface InboundOptions {
  db: Database;
  publicUrl: string;
  inbound?: ((sms: InboundSms) => Promise<InboundResult>) | undefined;
  onInbound?: ((sms: InboundSms, result: InboundResult) => void) | undefined;
  onReceipt?: ((receipt: DeliveryReceipt) => void | Promise<void>) | undefined;
  log: SmppLogger;
  reassemblyTimeoutMs: number;
  dedupeWindowMs: number;
  inboundAttempts: number;
  inboundRetryMs: number;
  /** True once the ESME is closing: handling stops retrying. */
  closed: () => boolean;
}

interface PartialSet {
  source: string;
  concat: Concat;
  parts: Map<number, string>;
  timer: NodeJS.Timeout;
}

const RECEIPT_STATES = ['SCHEDULED', 'ENROUTE', 'DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'ACCEPTD', 'UNKNOWN', 'REJECTD', 'SKIPPED'];

/**
 * What the SMSC delivers to us: receipts go to `onReceipt`; texts are reassembled (UDH 8/16-bit
 * references, sar_* TLVs; parts stored in the database until the whole text is filed) and handed
 * to handleInboundSms with an idempotency key that a redelivery repeats.
 */
export class InboundAssembler {
  private readonly partial = new Map<string, PartialSet>();
  private readonly seen = new Map<string, { id: string; expires: number }>();
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly o: InboundOptions) {}

  async onDeliver(pdu: smpp.PDU): Promise<void> {
    const messageType = Number(pdu.esm_class ?? 0) & ESM_CLASS.MESSAGE_TYPE_MASK;
    if (messageType === ESM_CLASS.DELIVERY_RECEIPT || messageType === ESM_CLASS.INTERMEDIATE_NOTIFICATION) {
      this.onReceiptPdu(pdu);
      return;
    }
    let source = String(pdu.source_addr ?? '');
    if (Number(pdu.source_addr_ton) === 1 && /^\d+$/.test(source)) source = `+${source}`;
    let read: ReturnType<typeof readMessage>;
    try {
      read = readMessage(pdu);
    } catch (error) {
      this.o.log.error({ err: (error as Error).message, source }, 'SMPP: unreadable deliver_sm');
      return;
    }
    const { text, concat } = read;
    if (!concat) {
      const sms: InboundSms = { from: source, text, messageId: this.messageIdFor(source, 'single', text), via: 'smpp' };
      if (!(await this.handle(sms, 1))) throw new Error('the text could not be filed');
      return;
    }
    const key = `${source}|${concat.kind}:${concat.ref}:${concat.total}`;
    const ref = `${concat.kind}-${concat.ref}-${concat.total}`;
    await storePart(this.o.db.pool, { setKey: key, seq: concat.seq, total: concat.total, source, ref, text });
    let set = this.partial.get(key);
    if (!set) {
      set = { source, concat, parts: new Map(), timer: this.expiryTimer(key) };
      this.partial.set(key, set);
    }
    set.parts.set(concat.seq, text);
    if (set.parts.size < concat.total) return;
    clearTimeout(set.timer);
    this.partial.delete(key);
    const whole = Array.from({ length: concat.total }, (_, i) => set.parts.get(i + 1) ?? '').join('');
    this.dispatch(source, ref, whole, key);
  }

  /**
   * After a restart: long texts whose parts were all stored are filed now; incomplete ones wait
   * for their missing parts (or the reassembly timeout) again.
   */
  async recover(): Promise<void> {
    try {
      const sets = new Map<string, Awaited<ReturnType<typeof loadStoredParts>>>();
      for (const r of await loadStoredParts(this.o.db.pool)) sets.set(r.setKey, [...(sets.get(r.setKey) ?? []), r]);
      for (const [key, parts] of sets) {
        const first = parts[0]!;
        if (this.partial.has(key)) continue;
        if (parts.length >= first.total) {
          this.dispatch(first.source, first.ref, parts.map((p) => p.text).join(''), key);
          continue;
        }
        const [kind, ref, total] = first.ref.split('-');
        this.partial.set(key, {
          source: first.source,
          concat: { kind: kind as Concat['kind'], ref: Number(ref), total: Number(total), seq: 0 } as Concat,
          parts: new Map(parts.map((p) => [p.seq, p.text])),
          timer: this.expiryTimer(key),
        });
      }
    } catch (error) {
      this.o.log.error({ err: (error as Error).message }, 'SMPP: could not recover stored parts');
    }
  }

  /** Stops the reassembly timers (incomplete sets stay stored for the next start) and waits for the texts being filed. */
  async close(): Promise<void> {
    for (const set of this.partial.values()) {
      clearTimeout(set.timer);
      this.o.log.warn(
        { source: set.source, ref: set.concat.ref, have: set.parts.size, total: set.concat.total },
        'SMPP: an incomplete message stays stored for the next start',
      );
    }
    this.partial.clear();
    await Promise.allSettled([...this.inflight]);
  }

  /**
   * The idempotency key of an inbound text: sender, concatenation reference and a hash of the
   * text, plus the window it was first seen in. A redelivery (same parts, same text) gets the
   * same key; a new message that reuses an 8-bit reference differs in its text; the same text
   * sent again after the window (a second status query next week) is a new message.
   */
  messageIdFor(source: string, ref: string, text: string, now = Date.now()): string {
    const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
    const base = `${source}:${ref}:${hash}`;
    for (const [k, v] of this.seen) {
      if (v.expires > now) break;
      this.seen.delete(k);
    }
    const known = this.seen.get(base);
    if (known) return known.id;
    const id = `${base}:${Math.floor(now / this.o.dedupeWindowMs).toString(36)}`;
    this.seen.set(base, { id, expires: now + this.o.dedupeWindowMs });
    return id;
  }

  private expiryTimer(key: string): NodeJS.Timeout {
    const timer = setTimeout(() => this.expire(key), this.o.reassemblyTimeoutMs);
    timer.unref();
    return timer;
  }

  private expire(key: string): void {
    const set = this.partial.get(key);
    if (!set) return;
    this.partial.delete(key);
    const missing = Array.from({ length: set.concat.total }, (_, i) => i + 1).filter((seq) => !set.parts.has(seq));
    this.o.log.warn({ source: set.source, ref: set.concat.ref, missing }, 'SMPP: concatenated message incomplete; handling the parts that came');
    const text = Array.from({ length: set.concat.total }, (_, i) => set.parts.get(i + 1) ?? ' … ').join('');
    this.dispatch(set.source, `${set.concat.kind}-${set.concat.ref}-${set.concat.total}-partial`, text, key);
  }

  /** Files a reassembled text in the background; its stored parts are deleted once it is filed. */
  private dispatch(source: string, ref: string, text: string, setKey: string): void {
    const sms: InboundSms = { from: source, text, messageId: this.messageIdFor(source, ref, text), via: 'smpp' };
    const job = this.handle(sms)
      .then(async (ok) => {
        if (ok) await deleteStoredSet(this.o.db.pool, setKey);
      })
      .catch((error) => this.o.log.error({ err: (error as Error).message }, 'SMPP: could not clear stored parts'))
      .finally(() => this.inflight.delete(job));
    this.inflight.add(job);
  }

  /** Hands a text to the inbound handler, retrying; false when it could not be filed (its parts stay stored). */
  private async handle(sms: InboundSms, attempts = this.o.inboundAttempts): Promise<boolean> {
    const handler = this.o.inbound ?? ((s: InboundSms) => handleInboundSms(this.o.db, { publicUrl: this.o.publicUrl, clock: systemClock }, s));
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await handler(sms);
        this.o.log.info({ from: sms.from, messageId: sms.messageId, kind: result.kind }, 'SMPP inbound text handled');
        this.o.onInbound?.(sms, result);
        return true;
      } catch (error) {
        if (attempt >= attempts || this.o.closed()) {
          this.o.log.error({ err: (error as Error).message, from: sms.from, messageId: sms.messageId }, 'SMPP inbound text not filed yet');
          return false;
        }
        await sleep(this.o.inboundRetryMs * 2 ** (attempt - 1));
      }
    }
  }

  private onReceiptPdu(pdu: smpp.PDU): void {
    const { text } = readMessage(pdu);
    const field = (name: string) => new RegExp(`(?:^|\\s)${name}:(\\S*)`, 'i').exec(text)?.[1] ?? null;
    const receipt: DeliveryReceipt = {
      messageId: typeof pdu.receipted_message_id === 'string' && pdu.receipted_message_id ? pdu.receipted_message_id : (field('id') ?? ''),
      state: field('stat') ?? (typeof pdu.message_state === 'number' ? (RECEIPT_STATES[pdu.message_state] ?? 'UNKNOWN') : 'UNKNOWN'),
      error: field('err'),
      recipient: String(pdu.source_addr ?? ''),
      raw: text,
    };
    this.o.log.info({ messageId: receipt.messageId, state: receipt.state }, 'SMPP delivery receipt');
    Promise.resolve()
      .then(() => this.o.onReceipt?.(receipt))
      .catch((error: Error) => this.o.log.error({ err: error.message }, 'SMPP onReceipt failed'));
  }
}
