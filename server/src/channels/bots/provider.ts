import { type Api, GrammyError, HttpError } from 'grammy';
import type { NotificationProvider, OutboundMessage } from '../../notifications/provider.ts';
import type { ComplaintBot } from './bot.ts';
import type { BotChannel } from './conversation.ts';

/** Telegram's limit for one text message. */
const MAX_TEXT = 4096;

/**
 * Delivers outbox messages to a messenger chat (the complaint's reply address) through the
 * bot's API. Every failure throws, so the dispatcher retries with backoff: a 429 ("too many
 * requests", with Telegram's retry_after in the message), a network error, or a chat that blocked
 * the bot (403, which ends dead-lettered after the dispatcher's attempts).
 * The Bot API has no idempotency key: a crash between sending and marking may send a message twice.
 */
export class BotNotificationProvider implements NotificationProvider {
  readonly name: BotChannel;
  private readonly api: Api;

  constructor(bot: { channel: BotChannel; bot: { api: Api } }) {
    this.name = bot.channel;
    this.api = bot.bot.api;
  }

  async send(message: OutboundMessage): Promise<{ providerMessageId: string }> {
    if (!message.to || !/^-?\d{1,20}$/.test(message.to)) throw new Error(`a ${this.name} message needs a chat id`);
    const text = message.text.length > MAX_TEXT ? `${message.text.slice(0, MAX_TEXT - 1)}…` : message.text;
    try {
      const sent = await this.api.sendMessage(message.to, text, { link_preview_options: { is_disabled: true } });
      return { providerMessageId: `${message.to}:${sent.message_id}` };
    } catch (error) {
      if (error instanceof GrammyError && error.error_code === 429) {
        throw new Error(`${this.name} rate limit (429), retry after ${error.parameters.retry_after ?? '?'} s`);
      }
      if (error instanceof GrammyError) throw new Error(`${this.name} refused the message (${error.error_code}: ${error.description})`);
      if (error instanceof HttpError) throw new Error(`${this.name} could not be reached: ${String((error.error as Error)?.message ?? error.error)}`);
      throw error;
    }
  }
}

/** The provider for a bot: `providers: { telegram: botProvider(telegramBot), bale: botProvider(baleBot) }`. */
export function botProvider(bot: Pick<ComplaintBot, 'channel' | 'bot'>): BotNotificationProvider {
  return new BotNotificationProvider(bot);
}
