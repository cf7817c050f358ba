import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Config } from '../config.ts';
import { errors, IdempotencyHeaders, UuidParam } from '../core/schemas.ts';
import type { Database } from '../db/database.ts';
import { complaintByIntakeKey, complaintInScope, openAttachment } from './access.ts';
import { type AttachmentSettings, addAttachment } from './add-attachment.ts';
import { receiveUpload } from './receive-upload.ts';
import { AttachmentParams, AttachmentSchema, FileBody, TrackAttachmentParams, UPLOAD_DESCRIPTION, UploadReply, VariantQuery } from './schema.ts';
import { sendStoredFile } from './serve.ts';
import { listAttachments, presentAttachment } from './store.ts';

function bearer(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/** Options: how a citizen proves a complaint is theirs (tracking/ owns the one-time-code session; passed in so attachments/ does not import it). */
export interface AttachmentRouteOptions {
  citizenComplaintId: (db: Database, config: Config, code: string, token: string | undefined) => Promise<string>;
}

/** Where files go and how large they may be. */
function attachmentSettings(deps: { config: Config; attachmentStorage?: AttachmentSettings['storage'] }): AttachmentSettings {
  return {
    storage: deps.attachmentStorage!,
    maxBytes: deps.config.attachmentMaxBytes,
    perComplaint: deps.config.attachmentsPerComplaint,
    clock: deps.config.clock,
  };
}

/** The largest file of any kind: the multipart limit. */
function largestFile(config: Config): number {
  return Math.max(...Object.values(config.attachmentMaxBytes));
}

/** Receives an upload into a temporary file, adds it, and always removes the temporary file. */
function uploadReceiver(db: Database, settings: AttachmentSettings, largest: number) {
  return async (
    request: Parameters<typeof receiveUpload>[0],
    complaintId: string,
    who: Pick<Parameters<typeof addAttachment>[2], 'actor' | 'user' | 'source'>,
  ) => {
    const file = await receiveUpload(request, largest);
    try {
      return await addAttachment(db, settings, { complaintId, path: file.path, size: file.size, ...who });
    } finally {
      await file.discard();
    }
  };
}

/** Staff (and the citizen right after filing) attach a file. */
const staffUploadRoutes: FastifyPluginAsyncTypebox<AttachmentRouteOptions> = async (app) => {
  const { db, config } = app.deps;
  const settings = attachmentSettings(app.deps);
  const largest = largestFile(config);
  const limited = { rateLimit: { max: config.publicRateLimit, timeWindow: '1 minute' } };
  const receive = uploadReceiver(db, settings, largest);

  app.post(
    '/complaints/:id/attachments',
    {
      config: limited,
      schema: {
        tags: ['complaints'],
        summary: 'Attach a photo, video or voice note (staff in scope; or the web citizen right after filing)',
        description: `${UPLOAD_DESCRIPTION} Staff send their session; the citizen who just filed on the web sends the Idempotency-Key of their intake request (valid ATTACHMENT_INTAKE_WINDOW_MINUTES after filing).`,
        consumes: ['multipart/form-data'],
        params: UuidParam,
        headers: IdempotencyHeaders,
        response: { 201: UploadReply, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      let result: Awaited<ReturnType<typeof addAttachment>>;
      if (request.sessionToken() !== null) {
        const user = await request.staffWith('complaint.note');
        const id = await complaintInScope(db, user, request.params.id);
        result = await receive(request, id, { actor: { kind: 'staff', id: user.id }, user, source: 'staff' });
      } else {
        const id = await complaintByIntakeKey(
          db,
          request.params.id,
          request.headers['idempotency-key'],
          config.attachmentIntakeWindowMinutes,
          config.clock.now(),
        );
        result = await receive(request, id, { actor: { kind: 'citizen', id: null }, user: null, source: 'web' });
      }
      return reply.status(201).send({ attachment: presentAttachment(result.attachment), replayed: result.replayed });
    },
  );
};

/** Staff list and download the files. */
const staffReadRoutes: FastifyPluginAsyncTypebox<AttachmentRouteOptions> = async (app) => {
  const { db } = app.deps;
  const settings = attachmentSettings(app.deps);

  app.get(
    '/complaints/:id/attachments',
    {
      schema: {
        tags: ['complaints'],
        summary: 'The complaint’s attachments (staff in scope)',
        params: UuidParam,
        response: { 200: Type.Array(AttachmentSchema), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const id = await complaintInScope(db, await request.staffWith('complaint.read'), request.params.id);
      return (await listAttachments(db.pool, id)).map(presentAttachment);
    },
  );

  app.get(
    '/complaints/:id/attachments/:attachmentId',
    {
      schema: {
        tags: ['complaints'],
        summary: 'An attachment’s bytes, or its thumbnail (staff in scope)',
        params: AttachmentParams,
        querystring: VariantQuery,
        response: { 200: FileBody, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const id = await complaintInScope(db, await request.staffWith('complaint.read'), request.params.id);
      return sendStoredFile(reply, await openAttachment(db, settings.storage, id, request.params.attachmentId, request.query.variant ?? 'original'));
    },
  );
};

/** The citizen, with a tracking session, attaches and downloads. */
const citizenRoutes: FastifyPluginAsyncTypebox<AttachmentRouteOptions> = async (app, { citizenComplaintId }) => {
  const { db, config } = app.deps;
  const settings = attachmentSettings(app.deps);
  const largest = largestFile(config);
  const limited = { rateLimit: { max: config.publicRateLimit, timeWindow: '1 minute' } };
  const receive = uploadReceiver(db, settings, largest);

  app.post(
    '/track/:code/attachments',
    {
      config: limited,
      schema: {
        tags: ['tracking'],
        summary: 'The citizen attaches a photo, video or voice note to their complaint (token from /otp/verify)',
        description: UPLOAD_DESCRIPTION,
        consumes: ['multipart/form-data'],
        params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) }),
        headers: Type.Object({ authorization: Type.Optional(Type.String({ description: 'Bearer <token from /otp/verify>' })) }),
        response: { 201: UploadReply, ...errors(400, 401, 404, 409, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const id = await citizenComplaintId(db, config, request.params.code, bearer(request.headers.authorization));
      const result = await receive(request, id, { actor: { kind: 'citizen', id: null }, user: null, source: 'web' });
      return reply.status(201).send({ attachment: presentAttachment(result.attachment), replayed: result.replayed });
    },
  );

  app.get(
    '/track/:code/attachments/:attachmentId',
    {
      config: limited,
      schema: {
        tags: ['tracking'],
        summary: 'An attachment of the citizen’s own complaint (token from /otp/verify)',
        params: TrackAttachmentParams,
        querystring: VariantQuery,
        headers: Type.Object({ authorization: Type.Optional(Type.String()) }),
        response: { 200: FileBody, ...errors(400, 401, 404, 429) },
      },
    },
    async (request, reply) => {
      const id = await citizenComplaintId(db, config, request.params.code, bearer(request.headers.authorization));
      return sendStoredFile(reply, await openAttachment(db, settings.storage, id, request.params.attachmentId, request.query.variant ?? 'original'));
    },
  );
};

/** Photos, videos and voice notes: upload (staff in scope, the citizen with proof) and download (never public). */
export const attachmentRoutes: FastifyPluginAsyncTypebox<AttachmentRouteOptions> = async (app, opts) => {
  const { config } = app.deps;
  const largest = largestFile(config);
  await app.register(multipart, { limits: { fileSize: largest, files: 1 } });
  await staffUploadRoutes(app, opts);
  await staffReadRoutes(app, opts);
  await citizenRoutes(app, opts);
};
