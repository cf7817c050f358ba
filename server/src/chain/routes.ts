import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../core/errors.ts';
import { errors, Nullable } from '../core/schemas.ts';
import { publicKeyId } from '../domain/checkpoint.ts';
import { citizenComplaintId } from '../tracking/citizen-tracking.ts';
import { listCheckpoints } from './checkpoint-store.ts';
import { inclusionProof } from './checkpoints.ts';
import { checkpointKeysFromConfig } from './keys.ts';

const Hex64 = Type.String({ pattern: '^[0-9a-f]{64}$' });

const CheckpointSchema = Type.Object({
  day: Type.String({ description: 'The UTC day the checkpoint closes' }),
  periodStart: Nullable(Type.String({ description: 'The previous checkpoint’s end; null for the first, which covers all history before' })),
  periodEnd: Type.String(),
  leafCount: Type.Integer({ description: 'Complaints whose chain changed in the period' }),
  root: Hex64,
  prev: Type.String({ description: 'SHA-256 of the previous checkpoint’s signed message (zeros for the first)' }),
  keyId: Type.String(),
  signature: Type.String({
    description: 'Base64 Ed25519 signature over the RFC 8785 JSON of {v:1, day, periodStart, periodEnd, leafCount, root, prev, keyId}',
  }),
});

const PublicKeySchema = Type.Object({
  keyId: Type.String(),
  algorithm: Type.Literal('Ed25519'),
  publicKey: Type.String({ description: 'Raw 32-byte key, base64' }),
});

const CodeParam = Type.Object({ code: Type.String({ minLength: 1, maxLength: 40, description: 'Tracking code' }) });

/** The published daily checkpoints and their public keys: roots and counts only, no personal data. */
export const publicChainRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;
  const publicKeys = checkpointKeysFromConfig(config).publicKeys.map((k) => ({ keyId: publicKeyId(k), algorithm: 'Ed25519' as const, publicKey: k }));
  app.get(
    '/checkpoints',
    {
      config: { rateLimit: { max: config.publicRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags: ['open data'],
        summary: 'Signed daily checkpoints of every complaint chain (newest first) and the keys that verify them',
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30 })),
            before: Type.Optional(Type.String({ format: 'date', description: 'Only days before this one (paging)' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ publicKeys: Type.Array(PublicKeySchema), checkpoints: Type.Array(CheckpointSchema) }), ...errors(400, 429) },
      },
    },
    async (request) => ({
      publicKeys,
      checkpoints: await listCheckpoints(db.pool, { limit: request.query.limit ?? 30, before: request.query.before ?? null }),
    }),
  );
};

/** A citizen's proof that their complaint, as it stood, is in a signed checkpoint (same token as the full view). */
export const proofRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;
  app.get(
    '/track/:code/proof',
    {
      config: { rateLimit: { max: config.publicRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags: ['tracking'],
        summary: 'Inclusion proof of the complaint in the newest signed checkpoint that holds it (check it with `npm run verify-proof`)',
        params: CodeParam,
        headers: Type.Object({ authorization: Type.Optional(Type.String({ description: 'Bearer <token from /otp/verify>' })) }),
        response: {
          200: Type.Object({
            leaf: Type.Object({ trackingCode: Type.String(), seq: Type.Integer(), head: Hex64 }),
            index: Type.Integer(),
            path: Type.Array(Hex64, { description: 'Sibling hashes from the leaf up (RFC 6962)' }),
            checkpoint: CheckpointSchema,
          }),
          ...errors(400, 401, 404, 409, 429),
        },
      },
    },
    async (request) => {
      const header = request.headers.authorization;
      const id = await citizenComplaintId(db, config, request.params.code, header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined);
      const proof = await inclusionProof(db.pool, id);
      if (!proof) throw new AppError('proof_not_ready');
      return proof;
    },
  );
};
