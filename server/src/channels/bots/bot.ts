import { Bot, type StorageAdapter, session } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { type County, listDivisions, type Province } from '../../agencies/store.ts';
import type { AttachmentSettings } from '../../attachments/add-attachment.ts';
import { type Clock, systemClock } from '../../core/clock.ts';
import type { Database } from '../../db/database.ts';
import { askAgency } from './ask-steps.ts';
import { T } from './bot-texts.ts';
import { onButton } from './buttons.ts';
import { type BotChannel, type BotContext, type BotDeps, type BotSession, freshSession } from './conversation.ts';
import { answerStatus } from './file-complaint.ts';
import { linkChat } from './link-chat.ts';
import { onAttachment, onContact, onLocation, onText } from './messages.ts';
import { DatabaseSessionStorage } from './session-store.ts';

export type { BotChannel, BotContext, BotSession, Draft } from './conversation.ts';

/** Where each messenger's Bot API lives (Bale speaks the Telegram Bot API at its own root). */
export const DEFAULT_API_ROOTS: Record<BotChannel, string> = { telegram: 'https://api.telegram.org', bale: 'https://tapi.bale.ai' };

export interface ComplaintBotOptions {
  db: Database;
  /** publicUrl for the links in messages; caseJoinHours: the same citizen about the same agency within it joins their open case (0: never, the default). */
  settings: { publicUrl: string; caseJoinHours?: number | undefined; clock?: Clock | undefined; secret?: string | undefined };
  token: string;
  channel: BotChannel;
  /** The Bot API root (no trailing slash); defaults to Telegram's or Bale's. Tests point it at a local fake. */
  apiRoot?: string | undefined;
  /** Where conversations are kept; defaults to the `bot_sessions` table. */
  storage?: StorageAdapter<BotSession> | undefined;
  /** Known bot info: skips the getMe call at start (and lets webhook mode answer the first update at once). */
  botInfo?: UserFromGetMe | undefined;
  /** Where the files citizens send are stored (the server's attachment storage and limits). Without it files are only noted by id. */
  attachments?: AttachmentSettings | undefined;
  /** Errors the bot could not answer (failed API calls, database errors). Defaults to console.error. */
  onError?: ((error: unknown) => void) | undefined;
}

export interface ComplaintBot {
  readonly channel: BotChannel;
  readonly bot: Bot<BotContext>;
  /**
   * Long polling: resolves once the bot is polling (getMe and deleteWebhook done); polling goes on
   * in the background until `stop()`. Use either this or the webhook, never both.
   */
  startPolling(options?: { timeoutSeconds?: number | undefined; dropPendingUpdates?: boolean | undefined }): Promise<void>;
  /** Stops long polling (confirming the updates already handled); a no-op otherwise. */
  stop(): Promise<void>;
  /** Webhook mode: tells the messenger where to post updates, with the secret it must send back. */
  setWebhook(url: string, secretToken: string): Promise<void>;
  /** Handles one update (what the webhook does): for tests and custom transports. */
  handleUpdate(update: Update): Promise<void>;
}

const DIVISIONS_TTL_MS = 10 * 60_000;

/** The provinces and counties, read again every few minutes. */
function cachedDivisions(db: Database): BotDeps['provinces'] {
  let divisions: { at: number; list: Promise<(Province & { counties: County[] })[]> } | null = null;
  return () => {
    if (!divisions || Date.now() - divisions.at > DIVISIONS_TTL_MS) {
      const list = listDivisions(db.pool);
      divisions = { at: Date.now(), list };
      list.catch(() => (divisions = null));
    }
    return divisions.list;
  };
}

/** The conversation's handlers, in the order grammY tries them (the files: ask-steps, buttons, messages, file-complaint). */
function registerConversation(bot: Bot<BotContext>, deps: BotDeps, storage: StorageAdapter<BotSession>): void {
  // Only private chats: the reply address is the chat, and the phone must be the citizen's own.
  const pm = bot.chatType('private');
  pm.use(
    session({
      initial: () => freshSession(),
      storage,
      getSessionKey: (ctx) => (ctx.chat ? `${deps.channel}:${ctx.me.id}:${ctx.chat.id}` : undefined),
    }),
  );
  // Telegram delivers an update again when it saw no answer (a crash, a timeout, a restart
  // before the offset was confirmed): the one already handled in this chat changes nothing.
  pm.use(async (ctx, next) => {
    const seen = ctx.session.lastUpdateId;
    if (seen !== undefined && ctx.update.update_id <= seen) return;
    ctx.session.lastUpdateId = ctx.update.update_id;
    await next();
  });
  // Inside the session: the conversation is saved even when a reply fails, and the citizen hears of the failure.
  const chat = pm.errorBoundary(async (error) => {
    deps.onError(error.error);
    await error.ctx.reply(T.failure).catch(() => undefined);
  });

  chat.command(['start', 'new'], async (ctx) => {
    // A deep link from the staff alerts page: `/start <code>` links this chat to their alerts.
    if (ctx.match.trim()) return linkChat(deps, ctx, ctx.match);
    ctx.session = freshSession(ctx.session);
    await ctx.reply(T.welcome);
    await askAgency(ctx);
  });
  chat.command('help', (ctx) => ctx.reply(T.welcome));
  chat.command('cancel', async (ctx) => {
    const busy = ctx.session.step !== 'idle';
    ctx.session = freshSession(ctx.session);
    await ctx.reply(busy ? T.cancelled : T.nothingToCancel, { reply_markup: { remove_keyboard: true } });
  });
  chat.command('status', async (ctx) => {
    if (!ctx.match.trim()) return void (await ctx.reply(T.statusUsage));
    await answerStatus(deps, ctx, ctx.match);
  });
  chat.on('callback_query:data', (ctx) => onButton(deps, ctx));
  chat.on('message:contact', (ctx) => onContact(ctx));
  chat.on('message:location', (ctx) => onLocation(ctx));
  chat.on(['message:photo', 'message:video', 'message:voice', 'message:video_note', 'message:audio', 'message:document'], (ctx) => onAttachment(deps, ctx));
  chat.on('message:text', (ctx) => onText(deps, ctx));
  chat.on('message', (ctx) => ctx.reply(T.help));
}

/**
 * The 128 complaint bot for Telegram or Bale (the same code; only the API root differs).
 * A private chat walks the citizen through a complaint — agency (typed, then picked), province
 * and county, category, description (with attachments noted), the employee they name (optional:
 * «رد شدن» skips it), optional location and the citizen's own phone — shows a summary, and on «تأیید» files it with submitComplaint, replies
 * going back to this chat. A tracking code (or /status code) answers with the status.
 */
export function createComplaintBot(options: ComplaintBotOptions): ComplaintBot {
  const { db, channel } = options;
  const apiRoot = options.apiRoot ?? DEFAULT_API_ROOTS[channel];
  const bot = new Bot<BotContext>(options.token, { client: { apiRoot }, ...(options.botInfo ? { botInfo: options.botInfo } : {}) });
  const onError = options.onError ?? ((error: unknown) => console.error(`[${channel} bot]`, error));
  const deps: BotDeps = {
    db,
    channel,
    token: options.token,
    apiRoot,
    api: bot.api,
    settings: options.settings,
    attachments: options.attachments,
    onError,
    provinces: cachedDivisions(db),
  };
  bot.catch((error) => onError(error.error));
  registerConversation(bot, deps, options.storage ?? new DatabaseSessionStorage<BotSession>(db.pool, options.settings.clock ?? systemClock));

  let polling: Promise<void> | null = null;
  return {
    channel,
    bot,
    async startPolling(polling_ = {}) {
      if (polling) return;
      await new Promise<void>((resolve, reject) => {
        polling = bot
          .start({
            timeout: polling_.timeoutSeconds ?? 30,
            drop_pending_updates: polling_.dropPendingUpdates ?? false,
            allowed_updates: ['message', 'callback_query'],
            onStart: () => resolve(),
          })
          .catch((error) => {
            onError(error);
            reject(error);
          })
          .finally(() => {
            polling = null;
          });
      });
    },
    async stop() {
      if (!bot.isRunning()) return;
      await bot.stop();
      await polling;
    },
    async setWebhook(url, secretToken) {
      await bot.api.setWebhook(url, { secret_token: secretToken, allowed_updates: ['message', 'callback_query'] });
    },
    async handleUpdate(update) {
      if (!bot.isInited()) await bot.init();
      await bot.handleUpdate(update);
    },
  };
}
