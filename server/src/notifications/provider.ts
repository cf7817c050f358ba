import type { Queryable } from '../db/database.ts';
import { insertStaffNotification } from './store.ts';

/** A message to one person. */
export interface OutboundMessage {
  /** E.164 phone number (SMS) or chat id (messengers); null for in-app staff messages. */
  to: string | null;
  /** The staff user, for in-app messages. */
  userId?: number | null;
  text: string;
  /** What the message is, for logs and templates: 'otp', 'citizen_received', … */
  kind: string;
  /** The same key on a retry: a provider that supports it never delivers twice. */
  deliveryKey?: string;
  complaintId?: string | null;
}

/**
 * Delivers messages. The console provider prints them (development and demos); the memory
 * provider keeps them for the test suite; the HTTP gateway posts them to an SMS gateway; the
 * web inbox stores staff messages for the web app; SMPP and the bots plug in here too.
 */
export interface NotificationProvider {
  readonly name: string;
  // biome-ignore lint/suspicious/noConfusingVoidType: a provider without receipts (console, web inbox) returns nothing
  send(message: OutboundMessage): Promise<{ providerMessageId?: string } | void>;
}

export class ConsoleProvider implements NotificationProvider {
  readonly name = 'console';
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {
    // A second guard besides the config check: it prints one-time codes and phone numbers.
    if (process.env.NODE_ENV === 'production') throw new Error('the console SMS provider cannot run with NODE_ENV=production');
  }
  async send(message: OutboundMessage): Promise<void> {
    this.write(`[sms → ${message.to}] (${message.kind}) ${message.text}`);
  }
}

export class MemoryProvider implements NotificationProvider {
  readonly name = 'memory';
  readonly sent: OutboundMessage[] = [];
  /** Like a gateway that honours idempotency keys: a repeated key is accepted but not delivered again. */
  async send(message: OutboundMessage): Promise<{ providerMessageId: string }> {
    const earlier = message.deliveryKey ? this.sent.findIndex((m) => m.deliveryKey === message.deliveryKey) : -1;
    if (earlier >= 0) return { providerMessageId: `mem-${earlier}` };
    this.sent.push(message);
    return { providerMessageId: `mem-${this.sent.length - 1}` };
  }
  /** The last message sent to a number, if any. */
  lastTo(phone: string): OutboundMessage | undefined {
    return this.sent.filter((m) => m.to === phone).at(-1);
  }
}

/**
 * A generic HTTP SMS gateway: `POST <url>` with JSON `{ to, text, deliveryKey }`, a bearer token
 * and an `Idempotency-Key` header; any 2xx is delivered (`{ id }` is kept as the provider's id).
 */
export class HttpSmsGateway implements NotificationProvider {
  readonly name = 'http';
  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly timeoutMs = 10_000,
  ) {}
  async send(message: OutboundMessage): Promise<{ providerMessageId?: string }> {
    if (!message.to) throw new Error('an SMS needs a phone number');
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(message.deliveryKey ? { 'idempotency-key': message.deliveryKey } : {}),
      },
      body: JSON.stringify({ to: message.to, text: message.text, deliveryKey: message.deliveryKey }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
    const body = (await res.json().catch(() => ({}))) as { id?: unknown };
    return typeof body.id === 'string' ? { providerMessageId: body.id } : {};
  }
}

/** Staff messages in the web app: one row per delivery key, so a retry never shows twice. */
export class WebInboxProvider implements NotificationProvider {
  readonly name = 'web';
  constructor(private readonly db: Queryable) {}
  async send(message: OutboundMessage): Promise<void> {
    if (!message.userId || !message.deliveryKey) throw new Error('an in-app message needs a user and a delivery key');
    await insertStaffNotification(this.db, {
      userId: message.userId,
      complaintId: message.complaintId ?? null,
      template: message.kind,
      body: message.text,
      deliveryKey: message.deliveryKey,
    });
  }
}
