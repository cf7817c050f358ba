import smpp from 'smpp';
import { STATUS } from './codec.ts';

/** A pino-compatible logger (Fastify's `app.log` fits). */
export interface SmppLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
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

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface SmppLinkOptions {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType?: string | undefined;
  enquireLinkMs: number;
  responseTimeoutMs: number;
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  sendTimeoutMs: number;
  log: SmppLogger;
  /** A deliver_sm: it is answered when this settles (ESME_RSYSERR when it throws, so the SMSC delivers it again). */
  onDeliver: (pdu: smpp.PDU) => Promise<void>;
}

type State = 'idle' | 'connecting' | 'binding' | 'bound' | 'closed';

interface Pending {
  resolve: (pdu: smpp.PDU) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One bind_transceiver connection to the SMSC, kept alive: enquire_link while bound, a new
 * connection with exponential backoff (±20% jitter) when it drops, request/response matching
 * by PDU with a timeout. It knows nothing of what the messages mean (that is `inbound.ts` and
 * `esme.ts`).
 */
export class SmppLink {
  private state: State = 'idle';
  private session: smpp.Session | null = null;
  private readonly pending = new Map<smpp.Session, Set<Pending>>();
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private enquireTimer: NodeJS.Timeout | null = null;
  private readonly boundWaiters = new Set<{ resolve: () => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  constructor(private readonly o: SmppLinkOptions) {}

  get bound(): boolean {
    return this.state === 'bound';
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  /** Starts connecting (and keeps reconnecting). */
  start(): void {
    if (this.state === 'idle') this.connect();
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

  /** Sends a request on the current connection and resolves with its response (any status; callers check it). */
  requestNow(command: string, params: Record<string, unknown>): Promise<smpp.PDU> {
    if (!this.session) return Promise.reject(new SmppDisconnectedError('the SMPP connection is closed'));
    return this.request(this.session, command, params);
  }

  /** Unbinds and closes the connection; stops reconnecting. */
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
    if (session) {
      if (wasBound) await this.request(session, 'unbind', {}, 1000).catch(() => undefined);
      await new Promise<void>((resolve) => {
        if (session.socket.destroyed) resolve();
        else session.destroy(() => resolve());
      });
    }
    this.session = null;
  }

  private connect(): void {
    if (this.state === 'closed') return;
    this.state = 'connecting';
    const session = smpp.connect({ host: this.o.host, port: this.o.port });
    this.session = session;
    this.pending.set(session, new Set());
    session.on('connect', () => void this.bind(session));
    session.on('error', (error: Error) => {
      this.o.log.warn({ err: error.message }, 'SMPP connection error');
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
      this.o.log.error({ err: (error as Error).message }, 'SMPP bind failed');
      if (!session.socket.destroyed) session.destroy();
      return;
    }
    if (this.session !== session || this.state !== 'binding') return;
    this.state = 'bound';
    this.attempt = 0;
    this.o.log.info({ host: this.o.host, port: this.o.port, systemId: this.o.systemId }, 'SMPP bound (transceiver)');
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
    this.o.log.warn({ attempt: this.attempt, delayMs: delay }, 'SMPP connection lost; reconnecting');
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
        this.o.log.warn({ err: error.message }, 'SMPP enquire_link unanswered; reconnecting');
        if (!session.socket.destroyed) session.destroy();
      });
    }, this.o.enquireLinkMs);
    this.enquireTimer.unref();
  }

  private stopEnquireLink(): void {
    if (this.enquireTimer) clearInterval(this.enquireTimer);
    this.enquireTimer = null;
  }

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

  /**
   * Answers a deliver_sm only once what it carries is safe (filed, or its part stored). If that
   * fails the SMSC gets ESME_RSYSERR and delivers again later (the message id keeps that idempotent).
   */
  private async accept(session: smpp.Session, pdu: smpp.PDU): Promise<void> {
    let status = 0;
    try {
      await this.o.onDeliver(pdu);
    } catch (error) {
      status = 0x08; // ESME_RSYSERR
      this.o.log.error({ err: (error as Error).message }, 'SMPP: could not take a deliver_sm now; the SMSC will retry');
    }
    session.send(pdu.response({ message_id: '', ...(status ? { command_status: status } : {}) }));
  }
}
