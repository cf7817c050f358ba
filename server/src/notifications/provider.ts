/** A message to one person over SMS (or later a messenger). */
export interface OutboundMessage {
  /** E.164 phone number */
  to: string;
  text: string;
  /** What the message is, for logs and templates: 'otp', 'received', … */
  kind: string;
}

/**
 * Sends messages to people. The console provider prints them (development and demos); the
 * memory provider keeps them for the test suite to read; the SMS gateway and SMPP providers
 * plug in here with the channels work.
 */
export interface NotificationProvider {
  readonly name: string;
  send(message: OutboundMessage): Promise<void>;
}

export class ConsoleProvider implements NotificationProvider {
  readonly name = 'console';
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}
  async send(message: OutboundMessage): Promise<void> {
    this.write(`[sms → ${message.to}] (${message.kind}) ${message.text}`);
  }
}

export class MemoryProvider implements NotificationProvider {
  readonly name = 'memory';
  readonly sent: OutboundMessage[] = [];
  async send(message: OutboundMessage): Promise<void> {
    this.sent.push(message);
  }
  /** The last message sent to a number, if any. */
  lastTo(phone: string): OutboundMessage | undefined {
    return this.sent.filter((m) => m.to === phone).at(-1);
  }
}
