import { systemClock } from '../../core/clock.ts';
import { normaliseLinkCode, redeemLinkCode } from '../../notifications/chat-link.ts';
import { T } from './bot-texts.ts';
import type { BotContext, BotDeps } from './conversation.ts';

/** A text that has the shape of a staff link code (staff alerts page), not of anything a citizen sends. */
export function looksLikeLinkCode(text: string): boolean {
  const code = normaliseLinkCode(text);
  // Eight of the code's letters and digits with at least one letter: never a tracking code or a phone.
  return code !== null && /[A-Z]/.test(code);
}

/**
 * A staff member sent the one-time code from their alerts page (`/start <code>` through the deep
 * link, or the code alone): this chat becomes where their alerts go, and they are told so in
 * Persian. A wrong, expired or used code changes nothing and says so.
 */
export async function linkChat(deps: BotDeps, ctx: BotContext, text: string): Promise<void> {
  const now = (deps.settings.clock ?? systemClock).now();
  // Codes are hashed with the server's secret (the API's, passed in by main.ts); a bot without it links nothing.
  const userId =
    deps.settings.secret !== undefined
      ? await redeemLinkCode(deps.db, deps.settings.secret, { code: text, channel: deps.channel, chatId: String(ctx.chat!.id) }, now)
      : null;
  await ctx.reply(userId === null ? T.linkCodeBad : T.chatLinked(deps.channel === 'telegram' ? 'تلگرام' : 'بله'));
}
