import { createHmac } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sameSecret } from '../../auth/tokens.ts';
import { AppError } from '../../core/errors.ts';
import { errors } from '../../core/schemas.ts';
import { handleInboundSms } from './inbound.ts';

const MAX_SKEW_SECONDS = 300;

/** HMAC-SHA256 of `${timestamp}.${rawBody}` with the shared secret, hex. */
export function signSmsWebhook(secret: string, timestamp: string, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
}

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

/**
 * The generic inbound SMS webhook an SMS gateway calls for every text to 128. Signed: the
 * gateway sends `X-Foad-Timestamp` (unix seconds) and `X-Foad-Signature: sha256=<hex HMAC of
 * "<timestamp>.<raw body>">`; a bad or old signature is refused before anything is read.
 */
export const smsWebhookRoutes: FastifyPluginAsyncTypebox<{ secret: string | null }> = async (app, options) => {
  const { db, config } = app.deps;
  // Keep the raw body: the signature is over the exact bytes.
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 64 * 1024 }, (request, body, done) => {
    request.rawBody = body as string;
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error('invalid JSON'), { statusCode: 400 }), undefined);
    }
  });

  app.post(
    '/channels/sms/inbound',
    {
      schema: {
        tags: ['channels'],
        summary: 'Inbound SMS from a gateway (signed). A text files a complaint for triage; a tracking code gets its status back by SMS.',
        headers: Type.Object({ 'x-foad-timestamp': Type.Optional(Type.String()), 'x-foad-signature': Type.Optional(Type.String()) }),
        body: Type.Object(
          {
            from: Type.String({ minLength: 5, maxLength: 24, description: 'Sender: 09…, 989…, +…' }),
            to: Type.Optional(Type.String({ maxLength: 24, description: 'The number texted (128, or the international line)' })),
            text: Type.String({ minLength: 1, maxLength: 5000 }),
            messageId: Type.String({ minLength: 1, maxLength: 128, description: 'The gateway’s id: a redelivery with the same id changes nothing' }),
            receivedAt: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ result: Type.String(), trackingCode: Type.Optional(Type.String()) }), ...errors(400, 401, 503) },
      },
    },
    async (request, reply) => {
      if (!options.secret) throw new AppError('forbidden', { reason: 'SMS_WEBHOOK_SECRET is not set' });
      const timestamp = request.headers['x-foad-timestamp'] ?? '';
      const given = (request.headers['x-foad-signature'] ?? '').replace(/^sha256=/, '');
      const expected = signSmsWebhook(options.secret, timestamp, request.rawBody ?? '');
      const fresh = /^\d{9,12}$/.test(timestamp) && Math.abs(Date.now() / 1000 - Number(timestamp)) <= MAX_SKEW_SECONDS;
      const same = sameSecret(given, expected);
      if (!fresh || !same) throw new AppError('unauthenticated', { reason: 'bad or stale signature' });
      const b = request.body;
      const result = await handleInboundSms(db, config, { from: b.from, text: b.text, messageId: b.messageId, via: 'http' });
      return reply.status(202).send({ result: result.kind, ...('trackingCode' in result ? { trackingCode: result.trackingCode } : {}) });
    },
  );
};
