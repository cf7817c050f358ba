import { randomInt } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import type { NotificationProvider, OutboundMessage } from '../../notifications/provider.ts';
import type { InboundResult, InboundSms } from '../sms/inbound.ts';
import { encodeMessage, STATUS } from './codec.ts';
import { type DeliveryReceipt, InboundAssembler } from './inbound.ts';
import { SmppDisconnectedError, SmppLink, type SmppLogger, SmppStatusError, sleep } from './link.ts';

export type { DeliveryReceipt } from './inbound.ts';
export { SmppDisconnectedError, type SmppLogger, SmppStatusError } from './link.ts';

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

interface SendProgress {
  ref: number;
  /** SMSC ids of the parts already accepted, by index. */
  ids: (string | undefined)[];
  expires: number;
}

const DEFAULTS = {
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
};

/**
 * An SMPP 3.4 ESME over one bind_transceiver connection to the operator's SMSC: the link
 * (`link.ts`: bind, enquire_link, reconnect with backoff), what arrives (`inbound.ts`: receipts,
 * reassembly, filing), and here the outbound side — a NotificationProvider ('smpp') sending
 * submit_sm with receipts requested; send() waits for the link within `sendTimeoutMs`.
 */
export class SmppEsme implements NotificationProvider {
  readonly name = 'smpp';
  private readonly o: typeof DEFAULTS & SmppEsmeOptions;
  private readonly link: SmppLink;
  private readonly inbound: InboundAssembler;
  private readonly progress = new Map<string, SendProgress>();
  private nextRef = randomInt(256);
  private started = false;

  constructor(options: SmppEsmeOptions) {
    this.o = { ...DEFAULTS, ...options };
    const noop = () => undefined;
    const log = options.log ?? { info: noop, warn: noop, error: noop };
    this.inbound = new InboundAssembler({ ...this.o, log, closed: () => this.link.closed });
    this.link = new SmppLink({ ...this.o, log, onDeliver: (pdu) => this.inbound.onDeliver(pdu) });
  }

  /** Starts connecting (and keeps reconnecting); resolves at once. Use waitBound() to wait for the link. */
  start(): void {
    if (this.started || this.link.closed) return;
    this.started = true;
    void this.inbound.recover();
    this.link.start();
  }

  get bound(): boolean {
    return this.link.bound;
  }

  /** Resolves when the link is bound; throws after `timeoutMs`. */
  waitBound(timeoutMs = this.o.sendTimeoutMs): Promise<void> {
    return this.link.waitBound(timeoutMs);
  }

  /** Unbinds, stops the timers and waits for the inbound texts being handled. Incomplete concatenated sets stay stored. */
  async close(): Promise<void> {
    if (this.link.closed) return;
    const flushing = this.inbound.close();
    await this.link.close();
    await flushing;
  }

  /** The idempotency key an inbound text is filed under (see InboundAssembler.messageIdFor). */
  messageIdFor(source: string, ref: string, text: string, now = Date.now()): string {
    return this.inbound.messageIdFor(source, ref, text, now);
  }

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
      if (!this.link.bound) await this.link.waitBound(Math.max(1, remaining));
      let response: Awaited<ReturnType<SmppLink['requestNow']>>;
      try {
        response = await this.link.requestNow('submit_sm', params);
      } catch (error) {
        // The link dropped with the part unanswered: send it again once reconnected (the same
        // UDH reference lets the handset drop a duplicate part).
        if (error instanceof SmppDisconnectedError && Date.now() < deadline && !this.link.closed) continue;
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
