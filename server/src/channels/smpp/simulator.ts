import type { AddressInfo } from 'node:net';
import smpp from 'smpp';
import { type Concat, concatUdh, DATA_CODING, ESM_CLASS, encodeUcs2, readMessage, STATUS, splitUnits } from './codec.ts';

/** A submit_sm the simulator accepted (or refused), decoded. */
export interface SubmittedPart {
  messageId: string | null;
  /** The command_status answered; -1 when the connection was dropped instead of answering. */
  status: number;
  source: string;
  destination: string;
  destTon: number;
  dataCoding: number;
  esmClass: number;
  registeredDelivery: number;
  concat: Concat | null;
  text: string;
}

/** An outbound message as the handset would show it: the accepted parts joined in order. */
export interface AssembledMessage {
  destination: string;
  text: string;
  parts: SubmittedPart[];
}

export interface SmscSimulatorOptions {
  systemId: string;
  password: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Send a delivery receipt (stat:DELIVRD) for every accepted part that asked for one. */
  receipts?: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * An SMSC for tests and local demos, on 127.0.0.1: takes bind_transceiver with the configured
 * credentials, answers enquire_link, records every submit_sm, pushes deliver_sm to the bound
 * ESME, and can throttle submits or drop connections on demand.
 */
export class SmscSimulator {
  readonly submits: SubmittedPart[] = [];
  readonly receiptsSent: string[] = [];
  binds = 0;
  enquireLinks = 0;
  private server: smpp.Server | null = null;
  private readonly bound = new Set<smpp.Session>();
  private failures: { count: number; status: number } = { count: 0, status: 0 };
  private refuseUntil = 0;
  private dropOnSubmit = { count: 0, after: 0, refuseMs: 0 };
  private nextId = 1;
  private nextRef = 1;

  constructor(private readonly options: SmscSimulatorOptions) {}

  async start(): Promise<number> {
    const server = smpp.createServer({}, (session) => this.accept(session));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return this.port;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** Whether an ESME is bound now. */
  get connected(): boolean {
    return this.bound.size > 0;
  }

  /** Answers the next `count` submit_sm with `status` (ESME_RTHROTTLED by default). */
  failNextSubmits(count: number, status: number = STATUS.THROTTLED): void {
    this.failures = { count, status };
  }

  /**
   * After accepting `after` more submit_sm, the next `count` are recorded (status -1) but never
   * answered: the connection drops instead (and new ones are refused for `refuseMs`).
   */
  dropOnNextSubmits(count = 1, options: { after?: number; refuseMs?: number } = {}): void {
    this.dropOnSubmit = { count, after: options.after ?? 0, refuseMs: options.refuseMs ?? 0 };
  }

  /** Closes every connection at once; for `refuseMs` after it, new connections are closed as they come. */
  dropConnections(refuseMs = 0): void {
    this.refuseUntil = Date.now() + refuseMs;
    for (const session of this.server?.sessions ?? []) session.destroy();
    this.bound.clear();
  }

  /** Waits until an ESME is bound. */
  async waitForBind(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.connected) {
      if (Date.now() > deadline) throw new Error('no ESME bound to the simulator');
      await sleep(10);
    }
  }

  /**
   * Delivers a text from `from` as the operator would: UCS-2 (unless `gsm`), split into
   * `parts` (default: as many 67-unit parts as needed) with an 8-bit-reference UDH.
   * `only` sends just those part numbers (1-based), to simulate a set cut short.
   * Resolves when every part was answered; returns the reference used.
   */
  async deliver(from: string, text: string, options: { parts?: number; ref?: number; only?: number[]; to?: string } = {}): Promise<number> {
    const ref = options.ref ?? this.nextRef++ & 0xff;
    let chunks: string[];
    if (options.parts && options.parts > 1) {
      const size = Math.ceil(text.length / options.parts);
      if (size > 67) throw new Error(`${options.parts} parts cannot carry ${text.length} units`);
      chunks = splitUnits(text, size);
    } else {
      chunks = splitUnits(text, 70).length === 1 ? [text] : splitUnits(text, 67);
    }
    const total = chunks.length;
    for (const [i, chunk] of chunks.entries()) {
      if (options.only && !options.only.includes(i + 1)) continue;
      const body = encodeUcs2(chunk);
      await this.deliverRaw({
        source_addr_ton: from.startsWith('+') ? 1 : 0,
        source_addr_npi: 1,
        source_addr: from.replace(/^\+/, ''),
        destination_addr: options.to ?? '128',
        esm_class: total > 1 ? ESM_CLASS.UDH_INDICATOR : 0,
        data_coding: DATA_CODING.UCS2,
        short_message: total > 1 ? Buffer.concat([concatUdh(ref, total, i + 1), body]) : body,
      });
    }
    return ref;
  }

  /** Sends one deliver_sm with these parameters to the bound ESME; resolves with its response. */
  async deliverRaw(params: Record<string, unknown>, timeoutMs = 5000): Promise<smpp.PDU> {
    await this.waitForBind(timeoutMs);
    const [session] = this.bound;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('deliver_sm unanswered')), timeoutMs);
      const ok = session!.send(new smpp.PDU('deliver_sm', params), (resp) => {
        clearTimeout(timer);
        resolve(resp);
      });
      if (!ok) {
        clearTimeout(timer);
        reject(new Error('the ESME connection is not writable'));
      }
    });
  }

  /** The accepted outbound messages, concatenated parts joined (by destination and reference). */
  messages(): AssembledMessage[] {
    const out: AssembledMessage[] = [];
    const open = new Map<string, AssembledMessage & { seqs: Map<number, SubmittedPart> }>();
    for (const part of this.submits) {
      if (part.status !== STATUS.OK) continue;
      if (!part.concat) {
        out.push({ destination: part.destination, text: part.text, parts: [part] });
        continue;
      }
      const key = `${part.destination}|${part.concat.kind}:${part.concat.ref}:${part.concat.total}`;
      let m = open.get(key);
      if (!m) {
        m = { destination: part.destination, text: '', parts: [], seqs: new Map() };
        open.set(key, m);
      }
      m.seqs.set(part.concat.seq, part);
      if (m.seqs.size === part.concat.total) {
        const ordered = [...m.seqs.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p);
        out.push({ destination: m.destination, text: ordered.map((p) => p.text).join(''), parts: ordered });
        open.delete(key);
      }
    }
    return out;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const session of server.sessions) session.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(session: smpp.Session): void {
    if (Date.now() < this.refuseUntil) {
      session.destroy();
      return;
    }
    session.on('error', () => session.destroy());
    session.on('close', () => this.bound.delete(session));
    session.on('pdu', (pdu: smpp.PDU) => {
      switch (pdu.command) {
        case 'bind_transceiver': {
          const ok = pdu.system_id === this.options.systemId && pdu.password === this.options.password;
          session.send(pdu.response({ system_id: 'foad-smsc', command_status: ok ? 0 : STATUS.BINDFAIL }));
          if (ok) {
            this.binds++;
            this.bound.add(session);
          }
          return;
        }
        case 'enquire_link':
          this.enquireLinks++;
          session.send(pdu.response());
          return;
        case 'unbind':
          this.bound.delete(session);
          session.send(pdu.response(), () => session.close());
          return;
        case 'submit_sm':
          this.onSubmit(session, pdu);
          return;
        default:
          if (!pdu.isResponse()) session.send(pdu.response({ command_status: 0x03 }));
      }
    });
  }

  private onSubmit(session: smpp.Session, pdu: smpp.PDU): void {
    if (!this.bound.has(session)) {
      session.send(pdu.response({ command_status: 0x04 })); // ESME_RINVBNDSTS
      return;
    }
    let status: number = STATUS.OK;
    if (this.dropOnSubmit.count > 0 && this.dropOnSubmit.after > 0) {
      this.dropOnSubmit.after--;
    } else if (this.dropOnSubmit.count > 0) {
      this.dropOnSubmit.count--;
      status = -1;
    } else if (this.failures.count > 0) {
      this.failures.count--;
      status = this.failures.status;
    }
    const { text, concat } = readMessage(pdu);
    const messageId = status === STATUS.OK ? `sim-${this.nextId++}` : null;
    const dropping = status === -1;
    const destination = String(pdu.destination_addr ?? '');
    this.submits.push({
      messageId,
      status,
      source: String(pdu.source_addr ?? ''),
      destination,
      destTon: Number(pdu.dest_addr_ton ?? 0),
      dataCoding: Number(pdu.data_coding ?? 0),
      esmClass: Number(pdu.esm_class ?? 0),
      registeredDelivery: Number(pdu.registered_delivery ?? 0),
      concat,
      text,
    });
    if (dropping) {
      this.dropConnections(this.dropOnSubmit.refuseMs);
      return;
    }
    session.send(messageId ? pdu.response({ message_id: messageId }) : pdu.response({ command_status: status }));
    if (messageId && this.options.receipts && Number(pdu.registered_delivery ?? 0) & 1) {
      const receipt = `id:${messageId} sub:001 dlvrd:001 submit date:2501010000 done date:2501010000 stat:DELIVRD err:000 text:`;
      setTimeout(() => {
        if (!this.bound.has(session)) return;
        this.receiptsSent.push(messageId);
        session.send(
          new smpp.PDU('deliver_sm', {
            source_addr_ton: Number(pdu.dest_addr_ton ?? 0),
            source_addr_npi: 1,
            source_addr: destination,
            destination_addr: String(pdu.source_addr ?? ''),
            esm_class: ESM_CLASS.DELIVERY_RECEIPT,
            data_coding: 0,
            short_message: Buffer.from(receipt, 'ascii'),
            receipted_message_id: messageId,
            message_state: 2,
          }),
        );
      }, 5);
    }
  }
}
