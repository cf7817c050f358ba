import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InlineKeyboardButton, Message, Update } from 'grammy/types';

/**
 * A local fake of the Telegram Bot API (Bale speaks the same API): `POST /<prefix>/bot<token>/<method>`
 * on 127.0.0.1. Tests push updates as a citizen would cause them (a text, a button press, a shared
 * contact, a location) and read back every call the bot made — what the citizen saw, buttons
 * included. getUpdates is a real long poll (offset confirms, timeout waits), so the bot under
 * test runs exactly as it does against Telegram.
 */

export interface BotCall {
  token: string;
  method: string;
  params: Record<string, unknown>;
}

export interface ApiError {
  status: number;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

/** A message the bot sent (and its later edits). */
export interface SentMessage {
  message_id: number;
  chatId: string;
  text: string;
  reply_markup?: { inline_keyboard?: InlineKeyboardButton[][]; keyboard?: unknown[][]; remove_keyboard?: boolean } | undefined;
}

interface Queued {
  update: Update;
  /** A redelivery: sent once whatever the offset, like an update Telegram could not see confirmed. */
  forced: boolean;
  delivered: boolean;
  /** Resolved when the bot asks for updates again after this one: it has handled it. */
  done: (calls: BotCall[]) => void;
  fail: (error: Error) => void;
  callsFrom: number;
  timer: NodeJS.Timeout;
}

interface Waiter {
  offset: number;
  limit: number;
  respond: (updates: Update[]) => void;
}

const PROCESS_TIMEOUT_MS = 10_000;

export class FakeBot {
  readonly calls: BotCall[] = [];
  readonly messages: SentMessage[] = [];
  webhookUrl = '';
  /** Bytes of the files citizens sent, by file_id: getFile describes them and /file/bot<token>/<path> serves them. */
  readonly files = new Map<string, Buffer>();
  private nextUpdateId = 100_000;
  private nextMessageId = 1;
  private nextCallbackId = 1;
  private readonly queue: Queued[] = [];
  private readonly handed: Queued[] = [];
  private waiters: Waiter[] = [];
  private readonly failures = new Map<string, ApiError[]>();

  constructor(
    readonly token: string,
    readonly apiRoot: string,
    readonly botId: number,
    readonly username: string,
  ) {}

  // ——— the citizen ———

  /** The citizen sends a text (a leading /command is marked as one, as Telegram does). Resolves with the bot's calls while handling it. */
  userSendsText(chatId: number, text: string): Promise<BotCall[]> {
    return this.push(this.build.text(chatId, text));
  }

  /** The citizen presses an inline button (found by its data on the bot's latest message that has it). */
  userPressesButton(chatId: number, data: string): Promise<BotCall[]> {
    return this.push(this.build.press(chatId, data));
  }

  /** The citizen presses the inline button whose label contains `label`, on the bot's latest keyboard in the chat. */
  userPressesLabel(chatId: number, label: string): Promise<BotCall[]> {
    const button = this.buttons(chatId).find((b) => b.text.includes(label));
    if (!button || !('callback_data' in button)) throw new Error(`no button «${label}» in chat ${chatId}: ${this.buttons(chatId).map((b) => b.text)}`);
    return this.userPressesButton(chatId, button.callback_data);
  }

  /** The citizen shares a contact through the request_contact button (their own, unless `userId` says otherwise). */
  userSharesContact(chatId: number, phone: string, userId: number | null = chatId): Promise<BotCall[]> {
    return this.push(this.build.contact(chatId, phone, userId));
  }

  userSendsLocation(chatId: number, latitude: number, longitude: number): Promise<BotCall[]> {
    return this.push(this.build.location(chatId, latitude, longitude));
  }

  userSendsPhoto(chatId: number, fileId: string, caption?: string): Promise<BotCall[]> {
    return this.push(this.build.photo(chatId, fileId, caption));
  }

  /** Makes updates without queuing them (for webhook tests). */
  readonly build = {
    text: (chatId: number, text: string): Update => {
      const command = /^\/[A-Za-z0-9_]+(@\w+)?/.exec(text);
      return this.update({
        message: { ...this.userMessage(chatId), text, ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}) },
      });
    },
    /** A button press; `evenIfGone`: a button the bot has since removed (an app that had not yet shown the edit), on the chat's last message. */
    press: (chatId: number, data: string, options: { evenIfGone?: boolean } = {}): Update => {
      const message =
        [...this.messages]
          .reverse()
          .find((m) => m.chatId === String(chatId) && m.reply_markup?.inline_keyboard?.flat().some((b) => 'callback_data' in b && b.callback_data === data)) ??
        (options.evenIfGone ? this.messages.filter((m) => m.chatId === String(chatId)).at(-1) : undefined);
      if (!message) throw new Error(`no button with data ${data} in chat ${chatId}`);
      return this.update({
        callback_query: {
          id: String(this.nextCallbackId++),
          from: this.user(chatId),
          chat_instance: `ci-${chatId}`,
          data,
          message: {
            message_id: message.message_id,
            date: now(),
            chat: this.chat(chatId),
            from: { id: this.botId, is_bot: true, first_name: 'سامانهٔ ۱۲۸', username: this.username },
            text: message.text,
            ...(message.reply_markup?.inline_keyboard ? { reply_markup: { inline_keyboard: message.reply_markup.inline_keyboard } } : {}),
          } as Message,
        },
      });
    },
    contact: (chatId: number, phone: string, userId: number | null): Update =>
      this.update({
        message: { ...this.userMessage(chatId), contact: { phone_number: phone, first_name: 'شهروند', ...(userId === null ? {} : { user_id: userId }) } },
      }),
    location: (chatId: number, latitude: number, longitude: number): Update =>
      this.update({ message: { ...this.userMessage(chatId), location: { latitude, longitude } } }),
    photo: (chatId: number, fileId: string, caption?: string): Update =>
      this.update({
        message: {
          ...this.userMessage(chatId),
          photo: [
            { file_id: `${fileId}-small`, file_unique_id: `${fileId}-s`, width: 90, height: 90 },
            { file_id: fileId, file_unique_id: `${fileId}-u`, width: 1280, height: 960 },
          ],
          ...(caption ? { caption } : {}),
        },
      }),
  };

  /**
   * Queues an update for the bot's next getUpdates and resolves, with the calls the bot made,
   * once the bot has handled it (it asks for updates again). `redeliver` sends an update that
   * was already confirmed once more, as after a crash.
   */
  push(update: Update, options: { redeliver?: boolean } = {}): Promise<BotCall[]> {
    return new Promise((resolve, reject) => {
      const entry: Queued = {
        update,
        forced: options.redeliver ?? false,
        delivered: false,
        done: resolve,
        fail: reject,
        callsFrom: 0,
        timer: setTimeout(() => {
          this.remove(entry);
          reject(new Error(`the bot did not handle update ${update.update_id} within ${PROCESS_TIMEOUT_MS} ms`));
        }, PROCESS_TIMEOUT_MS),
      };
      this.queue.push(entry);
      this.wake();
    });
  }

  // ——— what the citizen saw ———

  /** The bot's messages to a chat, oldest first (after edits). */
  chatMessages(chatId: number | string): SentMessage[] {
    return this.messages.filter((m) => m.chatId === String(chatId));
  }

  lastMessage(chatId: number | string): SentMessage | undefined {
    return this.chatMessages(chatId).at(-1);
  }

  /** The inline buttons of the bot's latest message with an inline keyboard in the chat. */
  buttons(chatId: number | string): InlineKeyboardButton[] {
    const withKeyboard = this.chatMessages(chatId).filter((m) => m.reply_markup?.inline_keyboard?.length);
    return withKeyboard.at(-1)?.reply_markup?.inline_keyboard?.flat() ?? [];
  }

  /** The next call of `method` fails with this error (e.g. a 429), once per queued error. */
  failNext(method: string, error: ApiError): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  // ——— the API ———

  /** Answers one Bot API call. Returns the JSON result or an error. */
  async call(method: string, params: Record<string, unknown>, res: ServerResponse): Promise<{ result: unknown } | ApiError> {
    if (method !== 'getUpdates') this.calls.push({ token: this.token, method, params });
    const failure = this.failures.get(method)?.shift();
    if (failure) return failure;
    switch (method) {
      case 'getMe':
        return {
          result: { id: this.botId, is_bot: true, first_name: 'سامانهٔ ۱۲۸', username: this.username, can_join_groups: false, supports_inline_queries: false },
        };
      case 'setWebhook':
        this.webhookUrl = String(params.url ?? '');
        return { result: true };
      case 'deleteWebhook':
        this.webhookUrl = '';
        return { result: true };
      case 'getUpdates':
        return { result: await this.getUpdates(params, res) };
      case 'sendMessage': {
        const chatId = String(params.chat_id);
        const message: SentMessage = {
          message_id: this.nextMessageId++,
          chatId,
          text: String(params.text ?? ''),
          reply_markup: params.reply_markup as SentMessage['reply_markup'],
        };
        this.messages.push(message);
        return {
          result: {
            message_id: message.message_id,
            date: now(),
            chat: this.chat(chatId),
            from: { id: this.botId, is_bot: true, first_name: 'سامانهٔ ۱۲۸' },
            text: message.text,
            ...(message.reply_markup?.inline_keyboard ? { reply_markup: message.reply_markup } : {}),
          },
        };
      }
      case 'editMessageText':
      case 'editMessageReplyMarkup': {
        const message = this.messages.find((m) => m.chatId === String(params.chat_id) && m.message_id === Number(params.message_id));
        if (!message) return { status: 400, error_code: 400, description: 'Bad Request: message to edit not found' };
        if (method === 'editMessageText') message.text = String(params.text ?? '');
        message.reply_markup = params.reply_markup as SentMessage['reply_markup'];
        return { result: { message_id: message.message_id, date: now(), chat: this.chat(message.chatId), text: message.text } };
      }
      case 'answerCallbackQuery':
        return { result: true };
      case 'getFile': {
        const bytes = this.files.get(String(params.file_id));
        if (!bytes) return { status: 400, error_code: 400, description: 'Bad Request: invalid file_id' };
        return {
          result: { file_id: params.file_id, file_unique_id: `u-${params.file_id}`, file_size: bytes.length, file_path: `photos/${params.file_id}.jpg` },
        };
      }
      default:
        return { status: 404, error_code: 404, description: 'Not Found: method not found' };
    }
  }

  private async getUpdates(params: Record<string, unknown>, res: ServerResponse): Promise<Update[]> {
    const offset = Number(params.offset ?? 0);
    const limit = Math.min(Math.max(Number(params.limit ?? 100), 1), 100);
    const timeout = Math.min(Math.max(Number(params.timeout ?? 0), 0), 50);
    // Asking again means everything handed out before was handled.
    for (const entry of this.handed.splice(0)) {
      clearTimeout(entry.timer);
      entry.done(this.calls.slice(entry.callsFrom));
    }
    // Confirmed updates are forgotten, as Telegram does.
    for (const entry of [...this.queue]) if (!entry.forced && entry.update.update_id < offset) this.remove(entry);
    const ready = this.take(offset, limit);
    if (ready.length || timeout === 0) return ready;
    return new Promise<Update[]>((resolve) => {
      const waiter: Waiter = { offset, limit, respond: resolve };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve([]);
      }, timeout * 1000);
      waiter.respond = (updates) => {
        clearTimeout(timer);
        resolve(updates);
      };
      this.waiters.push(waiter);
      // The bot gave up (bot.stop() aborts its poll): the updates stay queued.
      res.on('close', () => {
        if (res.writableEnded) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
      });
    });
  }

  private take(offset: number, limit: number): Update[] {
    const ready = this.queue.filter((e) => (e.forced ? !e.delivered : e.update.update_id >= offset && !e.delivered)).slice(0, limit);
    for (const entry of ready) {
      entry.delivered = true;
      entry.callsFrom = this.calls.length;
      this.handed.push(entry);
      if (entry.forced) this.remove(entry);
    }
    return ready.map((e) => e.update);
  }

  private wake(): void {
    const waiter = this.waiters.shift();
    if (!waiter) return;
    const ready = this.take(waiter.offset, waiter.limit);
    if (ready.length) waiter.respond(ready);
    else this.waiters.unshift(waiter);
  }

  private remove(entry: Queued): void {
    const i = this.queue.indexOf(entry);
    if (i >= 0) this.queue.splice(i, 1);
  }

  /** Ends every pending long poll (when the server closes). */
  release(): void {
    for (const waiter of this.waiters.splice(0)) waiter.respond([]);
    for (const entry of [...this.queue, ...this.handed]) {
      clearTimeout(entry.timer);
      entry.fail(new Error('fake Bot API closed'));
    }
  }

  private update(body: Omit<Update, 'update_id'>): Update {
    return { update_id: this.nextUpdateId++, ...body } as Update;
  }

  private user(chatId: number) {
    return { id: chatId, is_bot: false as const, first_name: 'شهروند', language_code: 'fa' };
  }

  private chat(chatId: number | string) {
    return { id: Number(chatId), type: 'private' as const, first_name: 'شهروند' };
  }

  private userMessage(chatId: number) {
    return { message_id: this.nextMessageId++, date: now(), chat: this.chat(chatId), from: this.user(chatId) };
  }
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

async function readParams(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  if (!body) return params;
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return { ...params, ...(JSON.parse(body) as Record<string, unknown>) };
  if (type.includes('application/x-www-form-urlencoded')) return { ...params, ...Object.fromEntries(new URLSearchParams(body)) };
  throw new Error(`unsupported content type ${type}`);
}

export interface FakeBotApi {
  /** http://127.0.0.1:<port> */
  url: string;
  /** A bot served under `prefix` (e.g. '/bale'); its `apiRoot` is what the grammY client needs. */
  addBot(token: string, options?: { prefix?: string; botId?: number; username?: string }): FakeBot;
  close(): Promise<void>;
}

/** Starts the fake on a free port of 127.0.0.1. */
export async function startFakeBotApi(): Promise<FakeBotApi> {
  const bots = new Map<string, FakeBot>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: unknown) => {
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    // File downloads: GET <prefix>/file/bot<token>/<file_path>, as Telegram serves them.
    const download = /^(.*)\/file\/bot([^/]+)\/photos\/(.+)\.jpg$/.exec(url.pathname);
    if (download) {
      const bytes = bots.get(`${download[1]}|${decodeURIComponent(download[2]!)}`)?.files.get(decodeURIComponent(download[3]!));
      if (!bytes) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
      return void res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length }).end(bytes);
    }
    const match = /^(.*)\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const bot = match ? bots.get(`${match[1]}|${decodeURIComponent(match[2]!)}`) : undefined;
    if (!match || !bot) return send(match ? 401 : 404, { ok: false, error_code: match ? 401 : 404, description: match ? 'Unauthorized' : 'Not Found' });
    readParams(req, url)
      .then((params) => bot.call(match[3]!, params, res))
      .then((answer) => {
        if ('result' in answer) send(200, { ok: true, result: answer.result });
        else send(answer.status, { ok: false, error_code: answer.error_code, description: answer.description, parameters: answer.parameters });
      })
      .catch((error: Error) => send(400, { ok: false, error_code: 400, description: `Bad Request: ${error.message}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let nextBotId = 7_000_000;
  return {
    url,
    addBot(token, options = {}) {
      const prefix = options.prefix ?? '';
      const bot = new FakeBot(token, `${url}${prefix}`, options.botId ?? nextBotId++, options.username ?? `foad128_${nextBotId}_bot`);
      bots.set(`${prefix}|${token}`, bot);
      return bot;
    },
    async close() {
      for (const bot of bots.values()) bot.release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
