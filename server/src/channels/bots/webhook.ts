import type { FastifyPluginAsync } from 'fastify';
import { webhookCallback } from 'grammy';
import { sameSecret } from '../../auth/tokens.ts';
import { errorBody } from '../../core/errors.ts';
import type { ComplaintBot } from './bot.ts';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface BotWebhookOptions {
  /** Each bot with the secret given to setWebhook (Telegram sends it back in X-Telegram-Bot-Api-Secret-Token). */
  bots: { bot: ComplaintBot; secretToken: string }[];
}

/**
 * Webhook mode: `POST /channels/<telegram|bale>/webhook` (under the app's /api/v1 prefix) for each
 * bot. A request without the bot's secret header is refused (401) before it is read; an update is
 * answered 200 once handled. An error the bot could not handle answers 500, so the messenger
 * delivers the update again (filing is idempotent per form, so that never files twice).
 */
export const botWebhookRoutes: FastifyPluginAsync<BotWebhookOptions> = async (app, options) => {
  for (const { bot, secretToken } of options.bots) {
    if (secretToken.length < 16 || !/^[A-Za-z0-9_-]+$/.test(secretToken)) {
      throw new Error(`the ${bot.channel} webhook secret must be at least 16 characters of A-Z, a-z, 0-9, _ and -`);
    }
    const handle = webhookCallback(bot.bot, 'fastify', { secretToken, onTimeout: 'throw', timeoutMilliseconds: 25_000 });
    app.post(
      `/channels/${bot.channel}/webhook`,
      {
        bodyLimit: 1024 * 1024,
        schema: {
          tags: ['channels'],
          summary: `Updates from the ${bot.channel === 'telegram' ? 'Telegram' : 'Bale'} bot (webhook mode; needs the secret token header)`,
          body: { type: 'object', required: ['update_id'], properties: { update_id: { type: 'integer' } } },
        },
      },
      async (request, reply) => {
        const given = request.headers[SECRET_HEADER];
        if (typeof given !== 'string' || !sameSecret(given, secretToken)) {
          return reply.status(401).send(errorBody('unauthenticated', 'fa', { reason: 'bad webhook secret' }));
        }
        await handle(request, reply);
        return reply;
      },
    );
  }
};
