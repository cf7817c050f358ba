import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { receiveUploadOrBody } from '../attachments/receive-upload.ts';
import { sendStoredFile } from '../attachments/serve.ts';
import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import { errors, IdParam } from '../core/schemas.ts';
import { addPhoto } from './add-photo.ts';
import { dispatchInspection } from './dispatch-inspection.ts';
import { fileFindings } from './file-findings.ts';
import { DispatchBody, FindingsBody, InspectionListQuery, InspectionSchema, PhotoSchema, SummaryQuery, SummaryReply } from './schema.ts';
import { findInspection, findingsSummary, type Inspection, inspectorsFor, listInspections, photoKey } from './store.ts';

function present(i: Inspection) {
  return {
    ...i,
    dispatchedAt: i.dispatchedAt.toISOString(),
    visitedAt: i.visitedAt?.toISOString() ?? null,
    filedAt: i.filedAt?.toISOString() ?? null,
    photos: i.photos.map((p) => ({ ...p, uploadedAt: p.uploadedAt.toISOString() })),
  };
}

const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'];

/** Planning inspections and the lists around them. */
const planRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  const tags = ['inspections'];

  app.post(
    '/inspections',
    {
      schema: {
        tags,
        summary:
          'Dispatch an on-site inspection of an office: for a cluster of complaints, or drawn at random with a recorded seed (provincial group, national centre)',
        body: DispatchBody,
        response: { 201: InspectionSchema, ...errors(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const user = await request.staffWith('inspection.dispatch');
      return reply.status(201).send(present(await dispatchInspection(db, user, request.body, app.deps.config.clock.now())));
    },
  );

  app.get(
    '/inspections',
    {
      schema: {
        tags,
        summary: 'Inspections in my scope, or mine as inspector',
        querystring: InspectionListQuery,
        response: { 200: Type.Object({ items: Type.Array(InspectionSchema) }), ...errors(400, 401) },
      },
    },
    async (request) => {
      const user = await request.staff();
      const { limit, ...filter } = request.query;
      return { items: (await listInspections(db.pool, user, filter, can(user.role, 'inspection.read'), limit ?? 100)).map(present) };
    },
  );

  app.get(
    '/inspections/inspectors',
    {
      schema: {
        tags,
        summary: 'The people I may send on an inspection, by name (for the dispatch form)',
        response: {
          200: Type.Object({ items: Type.Array(Type.Object({ id: Type.Integer(), displayName: Type.String(), role: Type.String() })) }),
          ...errors(401, 403),
        },
      },
    },
    async (request) => ({ items: await inspectorsFor(db.pool, await request.staffWith('inspection.dispatch')) }),
  );

  app.get(
    '/inspections/summary',
    {
      schema: {
        tags,
        summary: 'Filed findings per office and quality indicator for a period (for report cards), in my scope',
        querystring: SummaryQuery,
        response: { 200: SummaryReply, ...errors(400, 401, 403) },
      },
    },
    async (request) => ({ items: await findingsSummary(db.pool, await request.staffWith('inspection.read'), request.query) }),
  );
};

/** One inspection: its findings and photos. */
const visitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;
  const storage = app.deps.attachmentStorage!;
  const tags = ['inspections'];

  app.get(
    '/inspections/:id',
    { schema: { tags, summary: 'One inspection', params: IdParam, response: { 200: InspectionSchema, ...errors(401, 404) } } },
    async (request) => {
      const user = await request.staff();
      const inspection = await findInspection(db.pool, request.params.id, user, { readScope: can(user.role, 'inspection.read') });
      if (!inspection) throw new AppError('inspection_not_found');
      return present(inspection);
    },
  );

  app.post(
    '/inspections/:id/findings',
    {
      schema: {
        tags,
        summary: 'File the findings: a score and notes for each quality indicator (the inspector, once)',
        params: IdParam,
        body: FindingsBody,
        response: { 200: InspectionSchema, ...errors(400, 401, 404, 409, 422) },
      },
    },
    async (request) => present(await fileFindings(db, await request.staff(), request.params.id, request.body, app.deps.config.clock.now())),
  );

  app.post(
    '/inspections/:id/photos',
    {
      schema: {
        tags,
        summary:
          'Upload a photo taken on site (multipart field `file`, or the raw bytes; JPEG, PNG or WebP by its bytes, re-encoded without metadata; the inspector, before filing)',
        params: IdParam,
        consumes: ['multipart/form-data', ...PHOTO_TYPES],
        response: { 201: PhotoSchema, ...errors(400, 401, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const user = await request.staff();
      const file = await receiveUploadOrBody(request, config.photoMaxBytes);
      try {
        return reply.status(201).send(await addPhoto(db, storage, user, request.params.id, file));
      } finally {
        await file.discard();
      }
    },
  );

  app.get(
    '/inspections/:id/photos/:photoId',
    {
      schema: {
        tags,
        summary: 'A photo of an inspection (its inspector, readers in scope)',
        params: Type.Object({ id: IdParam.properties.id, photoId: IdParam.properties.id }),
        produces: ['image/jpeg', 'image/png', 'image/webp'],
        response: { 200: Type.Unknown({ description: 'The image bytes' }), ...errors(401, 404) },
      },
    },
    async (request, reply) => {
      const user = await request.staff();
      const inspection = await findInspection(db.pool, request.params.id, user, { readScope: can(user.role, 'inspection.read') });
      const key = inspection ? await photoKey(db.pool, inspection.id, request.params.photoId) : null;
      const stored = key ? await storage.get(key.storageKey) : null;
      if (!key || !stored) throw new AppError('not_found');
      return sendStoredFile(reply, { ...stored, mime: key.mediaType, id: `inspection-${request.params.id}-photo-${request.params.photoId}` });
    },
  );
};

/** Field inspections: dispatch (provincial group), findings and photos (the inspector), reads for report cards. */
export const inspectionRoutes: FastifyPluginAsyncTypebox = async (app, opts) => {
  const { config } = app.deps;
  await app.register(multipart, { limits: { fileSize: config.photoMaxBytes, files: 1 } });
  // A browser sends the photo as multipart (field `file`); an API client may send the raw bytes.
  // Either way the type is taken from the bytes, never from this header.
  app.addContentTypeParser(PHOTO_TYPES, { parseAs: 'buffer', bodyLimit: config.photoMaxBytes }, (_request, body, done) => done(null, body));
  await planRoutes(app, opts);
  await visitRoutes(app, opts);
};
