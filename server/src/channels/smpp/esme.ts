import { createHash, randomInt } from 'node:crypto';
import smpp from 'smpp';
import type { Database } from '../../db/database.ts';
import type { NotificationProvider, OutboundMessage } from '../../notifications/provider.ts';
import { handleInboundSms, type InboundResult, type InboundSms } from '../sms/inbound.ts';
import { type Concat, ESM_CLASS, encodeMessage, readMessage, STATUS } from './codec.ts';

/** A pino-compatible logger (Fastify's `app.log` fits). */
export interface SmppLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

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

export interface SmppEsmeOptions {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType?: string;
  /** Our address on outbound messages (the short code, e.g. '128'). */
  sourceAddr: string;
  /** TON/NPI of `sourceAddr`: a short code is usually 3 (network specific) / 0 (unknown). */
  sourceAddrTon?: number;
  sourceAddrNpi?: number;
  /** The database and public URL inbound texts are filed with (handleInboundSms). */
  db: Database;
  publicUrl: string;
  /** Replaces handleInboundSms (tests, other wiring). */
  inbound?: (sms: InboundSms) => Promise<InboundResult>;
  /** Called after an inbound text was handled (logging, tests). */
  onInbound?: (sms: InboundSms, result: InboundResult) => void;
  /** Delivery receipts, e.g. to mark outbox rows by provider_message_id. */
  onReceipt?: (receipt: DeliveryReceipt) => void | Promise<void>;
  log?: SmppLogger;
  /** enquire_link period (default 30 s). */
  enquireLinkMs?: number;
  /** How long to wait for any response PDU, bind included (default 10 s). */
  responseTimeoutMs?: number;
  /** Reconnect delay: doubles from `reconnectInitialMs` (default 1 s) up to `reconnectMaxMs` (default 60 s), ±20% jitter. */
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  /** How long send() waits for a bound connection before throwing (default 30 s). */
  sendTimeoutMs?: number;
  /** Retries of a part answered ESME_RTHROTTLED / ESME_RMSGQFUL (default 3), the first after `throttleDelayMs` (default 1 s), doubling. */
  throttleRetries?: number;
  throttleDelayMs?: number;
  /** How long the parts of a concatenated message wait for the rest (default 5 min); then what came is filed, marked incomplete. */
  reassemblyTimeoutMs?: number;
  /** A text from the same sender with the same content (and reference) within this window is the same message (default 1 h). */
  dedupeWindowMs?: number;
  /** Attempts at handling an inbound text when the database fails (default 5, 1 s apart and growing). */
  inboundAttempts?: number;
  inboundRetryMs?: number;
}

/** An SMPP error response (command_status ≠ 0). */
export class SmppStatusError extends Error {
  constructor(
    readonly command: string,
    readonly status: number,
  ) {
    super(`SMPP ${command} failed: ${statusName(status)} (0x${status.toString(16).padStart(8, '0')})`);
  }
}

/** The connection went away before an answer came. */
export class SmppDisconnectedError extends Error {}

function statusName(status: number): string {
  for (const [name, value] of Object.entries(smpp.errors)) if (value === status) return name;
  return 'unknown status';
}

type State = 'idle' | 'connecting' | 'binding' | 'bound' | 'closed';

interface Pending {
  resolve: (pdu: smpp.PDU) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface PartialSet {
  source: string;
  concat: Concat;
  parts: Map<number, string>;
  timer: NodeJS.Timeout;
}

interface SendProgress {
  ref: number;
  /** SMSC ids of the parts already accepted, by index. */
  ids: (string | undefined)[];
  expires: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * An SMPP 3.4 ESME over one bind_transceiver connection to the operator's SMSC.
 *
 * Inbound: every deliver_sm is answered at once; receipts go to `onReceipt`; texts are
 * reassembled (UDH 8/16-bit references, sar_* TLVs) and handed to handleInboundSms with an
 * idempotency key that a redelivery repeats. Outbound: a NotificationProvider ('smpp') sending
 * submit_sm with receipts requested. The link is kept with enquire_link and re-established with
 * exponential backoff; send() waits for it within `sendTimeoutMs`.
 */
export class SmppEsme implements NotificationProvider {
  readonly name = 'smpp';
  private readonly o: Required<Omit<SmppEsmeOptions, 'inbound' | 'onInbound' | 'onReceipt' | 'log' | 'systemType'>> & SmppEsmeOptions;
  private state: State = 'idle';
  private session: smpp.Session | null = null;
  private readonly pending = new Map<smpp.Session, Set<Pending>>();
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private enquireTimer: NodeJS.Timeout | null = null;
  private boundWaiters = new Set<{ resolve: () => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private readonly partial = new Map<string, PartialSet>();
  private readonly seen = new Map<string, { id: string; expires: number }>();
  private readonly progress = new Map<string, SendProgress>();
  private readonly inflight = new Set<Promise<void>>();
  private nextRef = randomInt(256);
  private readonly log: SmppLogger;

  constructor(options: SmppEsmeOptions) {
    this.o = {
      sourceAddrTon: 3,
      sourceAddrNpi: 0,
      enquireLinkMs: 30_000,
      responseTimeoutMs: 10_000,
      reconnectInitialMs: 1000,
      reconnectMaxMs: 60_000,
      sendTimeoutMs: 30_000,
      throttleRetries: 3,
      throttleDelayMs: 1000,
      reassemblyTimeoutMs: 5 * 60_000,
      dedupeWindowMs: 60 * 60_000,
      inboundAttempts: 5,
      inboundRetryMs: 1000,
      ...options,
    };
    const noop = () => undefined;
    this.log = options.log ?? { info: noop, warn: noop, error: noop };
  }

  /** Starts connecting (and keeps reconnecting); resolves at once. Use waitBound() to wait for the link. */
  start(): void {
    if (this.state !== 'idle') return;
    void this.recover();
    this.connect();
  }

  get bound(): boolean {
    return this.state === 'bound';
  }

  /** Resolves when the link is bound; throws after `timeoutMs`. */
  waitBound(timeoutMs = this.o.sendTimeoutMs): Promise<void> {
    if (this.state === 'bound') return Promise.resolve();
    if (this.state === 'closed') return Promise.reject(new SmppDisconnectedError('the SMPP client is closed'));
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.boundWaiters.delete(waiter);
          reject(new SmppDisconnectedError(`no SMPP connection to ${this.o.host}:${this.o.port} within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.boundWaiters.add(waiter);
    });
  }

  /** Unbinds, stops the timers and waits for the inbound texts being handled. Incomplete concatenated sets are dropped (logged). */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const session = this.session;
    const wasBound = this.state === 'bound';
    this.state = 'closed';
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.stopEnquireLink();
    for (const w of this.boundWaiters) {
      clearTimeout(w.timer);
      w.reject(new SmppDisconnectedError('the SMPP client is closed'));
    }
    this.boundWaiters.clear();
    for (const set of this.partial.values()) {
      clearTimeout(set.timer);
      this.log.warn(
        { source: set.source, ref: set.concat.ref, have: set.parts.size, total: set.concat.total },
        'SMPP: an incomplete message stays stored for the next start',
      );
    }
    this.partial.clear();
    if (session) {
      if (wasBound) await this.request(session, 'unbind', {}, 1000).catch(() => undefined);
      await new Promise<void>((resolve) => {
        if (session.socket.destroyed) resolve();
        else session.destroy(() => resolve());
      });
    }
    this.session = null;
    await Promise.allSettled([...this.inflight]);
  }

  // ── connection ────────────────────────────────────────────────────────────

  private connect(): void {
    if (this.state === 'closed') return;
    this.state = 'connecting';
    const session = smpp.connect({ host: this.o.host, port: this.o.port });
    this.session = session;
    this.pending.set(session, new Set());
    session.on('connect', () => void this.bind(session));
    session.on('error', (error: Error) => {
      this.log.warn({ err: error.message }, 'SMPP connection error');
      if (!session.socket.destroyed) session.destroy();
    });
    session.on('close', () => this.onClosed(session));
    session.on('pdu', (pdu: smpp.PDU) => this.onPdu(session, pdu));
  }

  private async bind(session: smpp.Session): Promise<void> {
    if (this.session !== session || this.state === 'closed') return;
    this.state = 'binding';
    try {
      await this.request(session, 'bind_transceiver', {
        system_id: this.o.systemId,
        password: this.o.password,
        system_type: this.o.systemType ?? '',
        interface_version: 0x34,
      });
    } catch (error) {
      this.log.error({ err: (error as Error).message }, 'SMPP bind failed');
      if (!session.socket.destroyed) session.destroy();
      return;
    }
    if (this.session !== session || this.state !== 'binding') return;
    this.state = 'bound';
    this.attempt = 0;
    this.log.info({ host: this.o.host, port: this.o.port, systemId: this.o.systemId }, 'SMPP bound (transceiver)');
    this.startEnquireLink(session);
    for (const w of this.boundWaiters) {
      clearTimeout(w.timer);
      w.resolve();
    }
    this.boundWaiters.clear();
  }

  private onClosed(session: smpp.Session): void {
    const waiting = this.pending.get(session);
    this.pending.delete(session);
    for (const p of waiting ?? []) {
      clearTimeout(p.timer);
      p.reject(new SmppDisconnectedError('the SMPP connection closed before the answer came'));
    }
    if (this.session !== session) return;
    this.session = null;
    this.stopEnquireLink();
    if (this.state === 'closed') return;
    this.state = 'connecting';
    const base = Math.min(this.o.reconnectInitialMs * 2 ** this.attempt, this.o.reconnectMaxMs);
    const delay = Math.round(base * (0.8 + 0.4 * Math.random()));
    this.attempt++;
    this.log.warn({ attempt: this.attempt, delayMs: delay }, 'SMPP connection lost; reconnecting');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private startEnquireLink(session: smpp.Session): void {
    this.stopEnquireLink();
    this.enquireTimer = setInterval(() => {
      this.request(session, 'enquire_link', {}).catch((error: Error) => {
        if (error instanceof SmppDisconnectedError) return;
        this.log.warn({ err: error.message }, 'SMPP enquire_link unanswered; reconnecting');
        if (!session.socket.destroyed) session.destroy();
      });
    }, this.o.enquireLinkMs);
    this.enquireTimer.unref();
  }

  private stopEnquireLink(): void {
    if (this.enquireTimer) clearInterval(this.enquireTimer);
    this.enquireTimer = null;
  }

  /** Sends a request PDU and resolves with its response (any status; callers check it). */
  private request(session: smpp.Session, command: string, params: Record<string, unknown>, timeoutMs = this.o.responseTimeoutMs): Promise<smpp.PDU> {
    return new Promise((resolve, reject) => {
      const set = this.pending.get(session);
      if (!set) {
        reject(new SmppDisconnectedError('the SMPP connection is closed'));
        return;
      }
      const entry: Pending = {
        resolve: (pdu) => {
          clearTimeout(entry.timer);
          set.delete(entry);
          resolve(pdu);
        },
        reject: (error) => {
          clearTimeout(entry.timer);
          set.delete(entry);
          reject(error);
        },
        timer: setTimeout(() => entry.reject(new Error(`SMPP ${command}: no answer within ${timeoutMs} ms`)), timeoutMs),
      };
      set.add(entry);
      const sent = session.send(new smpp.PDU(command, params), (response) => {
        if (response.command_status !== STATUS.OK && command === 'bind_transceiver') entry.reject(new SmppStatusError(command, response.command_status));
        else entry.resolve(response);
      });
      if (!sent) entry.reject(new SmppDisconnectedError('the SMPP connection is not writable'));
    });
  }

  private onPdu(session: smpp.Session, pdu: smpp.PDU): void {
    switch (pdu.command) {
      case 'deliver_sm':
        void this.accept(session, pdu);
        return;
      case 'enquire_link':
        session.send(pdu.response());
        return;
      case 'unbind':
        session.send(pdu.response(), () => session.close());
        return;
      case 'data_sm':
        session.send(pdu.response({ command_status: 0x03 })); // ESME_RINVCMDID: we take texts as deliver_sm
        return;
      case 'unknown':
        session.send(pdu.response());
        return;
      default:
        if (!pdu.isResponse()) session.send(new smpp.PDU('generic_nack', { sequence_number: pdu.sequence_number, command_status: 0x03 }));
    }
  }

  // ── inbound ───────────────────────────────────────────────────────────────

  /**
   * Answers a deliver_sm only once what it carries is safe: a single text is filed (or
   * answered) first, a part of a long text is stored first. If that fails the SMSC gets
   * ESME_RSYSERR and delivers again later (the message id keeps that idempotent).
   */
  private async accept(session: smpp.Session, pdu: smpp.PDU): Promise<void> {
    let status = 0;
    try {
      await this.onDeliver(pdu);
    } catch (error) {
      status = 0x08; // ESME_RSYSERR
      this.log.error({ err: (error as Error).message }, 'SMPP: could not take a deliver_sm now; the SMSC will retry');
    }
    session.send(pdu.response({ message_id: '', ...(status ? { command_status: status } : {}) }));
  }

  private async onDeliver(pdu: smpp.PDU): Promise<void> {
    const esmClass = Number(pdu.esm_class ?? 0);
    const messageType = esmClass & ESM_CLASS.MESSAGE_TYPE_MASK;
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
      this.log.error({ err: (error as Error).message, source }, 'SMPP: unreadable deliver_sm');
      return;
    }
    const { text, concat } = read;
    if (!concat) {
      const sms: InboundSms = { from: source, text, messageId: this.messageIdFor(source, 'single', text), via: 'smpp' };
      if (!(await this.handle(sms, 1))) throw new Error('the text could not be filed');
      return;
    }
    const key = `${source}|${concat.kind}:${concat.ref}:${concat.total}`;
    await this.o.db.pool.query(
      `INSERT INTO sms_inbound_parts (set_key, seq, total, source, ref, text) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [key, concat.seq, concat.total, source, `${concat.kind}-${concat.ref}-${concat.total}`, text],
    );
    let set = this.partial.get(key);
    if (!set) {
      const timer = setTimeout(() => this.expire(key), this.o.reassemblyTimeoutMs);
      timer.unref();
      set = { source, concat, parts: new Map(), timer };
      this.partial.set(key, set);
    }
    set.parts.set(concat.seq, text);
    if (set.parts.size < concat.total) return;
    clearTimeout(set.timer);
    this.partial.delete(key);
    const whole = Array.from({ length: concat.total }, (_, i) => set.parts.get(i + 1) ?? '').join('');
    this.dispatch(source, `${concat.kind}-${concat.ref}-${concat.total}`, whole, key);
  }

  /**
   * After a restart: long texts whose parts were all stored are filed now; incomplete ones wait
   * for their missing parts (or the reassembly timeout) again.
   */
  private async recover(): Promise<void> {
    try {
      const { rows } = await this.o.db.pool.query<{ setKey: string; seq: number; total: number; source: string; ref: string; text: string }>(
        'SELECT set_key AS "setKey", seq, total, source, ref, text FROM sms_inbound_parts ORDER BY set_key, seq',
      );
      const sets = new Map<string, typeof rows>();
      for (const r of rows) sets.set(r.setKey, [...(sets.get(r.setKey) ?? []), r]);
      for (const [key, parts] of sets) {
        const first = parts[0]!;
        if (this.partial.has(key)) continue;
        if (parts.length >= first.total) {
          this.dispatch(first.source, first.ref, parts.map((p) => p.text).join(''), key);
          continue;
        }
        const [kind, ref, total] = first.ref.split('-');
        const timer = setTimeout(() => this.expire(key), this.o.reassemblyTimeoutMs);
        timer.unref();
        this.partial.set(key, {
          source: first.source,
          concat: { kind: kind as Concat['kind'], ref: Number(ref), total: Number(total), seq: 0 } as Concat,
          parts: new Map(parts.map((p) => [p.seq, p.text])),
          timer,
        });
      }
    } catch (error) {
      this.log.error({ err: (error as Error).message }, 'SMPP: could not recover stored parts');
    }
  }

  private expire(key: string): void {
    const set = this.partial.get(key);
    if (!set) return;
    this.partial.delete(key);
    const missing = Array.from({ length: set.concat.total }, (_, i) => i + 1).filter((seq) => !set.parts.has(seq));
    this.log.warn({ source: set.source, ref: set.concat.ref, missing }, 'SMPP: concatenated message incomplete; handling the parts that came');
    const text = Array.from({ length: set.concat.total }, (_, i) => set.parts.get(i + 1) ?? ' … ').join('');
    this.dispatch(set.source, `${set.concat.kind}-${set.concat.ref}-${set.concat.total}-partial`, text, key);
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

  /** Files a reassembled text in the background; its stored parts are deleted once it is filed. */
  private dispatch(source: string, ref: string, text: string, setKey: string): void {
    const sms: InboundSms = { from: source, text, messageId: this.messageIdFor(source, ref, text), via: 'smpp' };
    const job = this.handle(sms)
      .then(async (ok) => {
        if (ok) await this.o.db.pool.query('DELETE FROM sms_inbound_parts WHERE set_key = $1', [setKey]);
      })
      .catch((error) => this.log.error({ err: (error as Error).message }, 'SMPP: could not clear stored parts'))
      .finally(() => this.inflight.delete(job));
    this.inflight.add(job);
  }

  /** Hands a text to the inbound handler, retrying; false when it could not be filed (its parts stay stored). */
  private async handle(sms: InboundSms, attempts = this.o.inboundAttempts): Promise<boolean> {
    const handler = this.o.inbound ?? ((s: InboundSms) => handleInboundSms(this.o.db, { publicUrl: this.o.publicUrl }, s));
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await handler(sms);
        this.log.info({ from: sms.from, messageId: sms.messageId, kind: result.kind }, 'SMPP inbound text handled');
        this.o.onInbound?.(sms, result);
        return true;
      } catch (error) {
        if (attempt >= attempts || this.state === 'closed') {
          this.log.error({ err: (error as Error).message, from: sms.from, messageId: sms.messageId }, 'SMPP inbound text not filed yet');
          return false;
        }
        await sleep(this.o.inboundRetryMs * 2 ** (attempt - 1));
      }
    }
  }

  private onReceiptPdu(pdu: smpp.PDU): void {
    const { text } = readMessage(pdu);
    const field = (name: string) => new RegExp(`(?:^|\\s)${name}:(\\S*)`, 'i').exec(text)?.[1] ?? null;
    const states = ['SCHEDULED', 'ENROUTE', 'DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'ACCEPTD', 'UNKNOWN', 'REJECTD', 'SKIPPED'];
    const receipt: DeliveryReceipt = {
      messageId: typeof pdu.receipted_message_id === 'string' && pdu.receipted_message_id ? pdu.receipted_message_id : (field('id') ?? ''),
      state: field('stat') ?? (typeof pdu.message_state === 'number' ? (states[pdu.message_state] ?? 'UNKNOWN') : 'UNKNOWN'),
      error: field('err'),
      recipient: String(pdu.source_addr ?? ''),
      raw: text,
    };
    this.log.info({ messageId: receipt.messageId, state: receipt.state }, 'SMPP delivery receipt');
    Promise.resolve()
      .then(() => this.o.onReceipt?.(receipt))
      .catch((error: Error) => this.log.error({ err: error.message }, 'SMPP onReceipt failed'));
  }

  // ── outbound ──────────────────────────────────────────────────────────────

  /**
   * Sends one SMS (submit_sm per part). Parts the SMSC already accepted for this delivery key
   * are not sent again when the outbox retries, and a retry reuses the UDH reference, so the
   * handset joins the parts either way. Returns the SMSC id of the last part.
   */
  async send(message: OutboundMessage): Promise<{ providerMessageId: string }> {
    if (!message.to) throw new Error('an SMS needs a phone number');
    const to = message.to.replace(/[^\d+]/g, '');
    const international = to.startsWith('+');
    const now = Date.now();
    for (const [k, v] of this.progress) if (v.expires < now) this.progress.delete(k);
    const progressKey = message.deliveryKey ?? null;
    let progress = progressKey ? this.progress.get(progressKey) : undefined;
    if (!progress) {
      progress = { ref: this.nextRef++ & 0xff, ids: [], expires: now + 24 * 3600_000 };
      if (progressKey) this.progress.set(progressKey, progress);
    }
    const parts = encodeMessage(message.text, progress.ref);
    const deadline = Date.now() + this.o.sendTimeoutMs;
    for (const [i, part] of parts.entries()) {
      if (progress.ids[i] !== undefined) continue;
      progress.ids[i] = await this.submitPart(
        {
          source_addr_ton: this.o.sourceAddrTon,
          source_addr_npi: this.o.sourceAddrNpi,
          source_addr: this.o.sourceAddr,
          dest_addr_ton: international ? 1 : 0,
          dest_addr_npi: 1,
          destination_addr: international ? to.slice(1) : to,
          esm_class: part.esmClass,
          registered_delivery: 1,
          data_coding: part.dataCoding,
          short_message: part.shortMessage,
        },
        deadline,
      );
    }
    return { providerMessageId: progress.ids[parts.length - 1]! };
  }

  private async submitPart(params: Record<string, unknown>, deadline: number): Promise<string> {
    let throttled = 0;
    for (;;) {
      const remaining = deadline - Date.now();
      if (this.state !== 'bound') await this.waitBound(Math.max(1, remaining));
      const session = this.session;
      if (!session) continue;
      let response: smpp.PDU;
      try {
        response = await this.request(session, 'submit_sm', params);
      } catch (error) {
        // The link dropped with the part unanswered: send it again once reconnected (the same
        // UDH reference lets the handset drop a duplicate part).
        if (error instanceof SmppDisconnectedError && Date.now() < deadline && this.state !== 'closed') continue;
        throw error;
      }
      const status = response.command_status;
      if (status === STATUS.OK) return String(response.message_id ?? '');
      if ((status === STATUS.THROTTLED || status === STATUS.MSGQFUL) && throttled < this.o.throttleRetries) {
        await sleep(this.o.throttleDelayMs * 2 ** throttled);
        throttled++;
        continue;
      }
      throw new SmppStatusError('submit_sm', status);
    }
  }
}
