import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../core/errors.ts';
import { errors } from '../core/schemas.ts';
import { detectHotspots } from './detect-hotspots.ts';
import { AlertQuery, AlertSchema, Dimension, ScanReply, SettingsChange, SettingsSchema } from './schema.ts';
import { listAlerts, listSettings, updateSettings } from './store.ts';

/** Hotspot alerts: unusual rises of complaints about an office, a category in a province, or a named employee. */
export const hotspotRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  const tags = ['live'];

  app.get(
    '/hotspots',
    {
      schema: {
        tags,
        summary: 'Hotspot alerts in my scope, newest first',
        querystring: AlertQuery,
        response: { 200: Type.Object({ items: Type.Array(AlertSchema) }), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const user = await request.staffWith('hotspot.read');
      const { limit, ...filter } = request.query;
      const items = await listAlerts(db.pool, user, filter, limit ?? 100);
      return {
        items: items.map((a) => ({
          ...a,
          openedAt: a.openedAt.toISOString(),
          lastSeenAt: a.lastSeenAt.toISOString(),
          closedAt: a.closedAt?.toISOString() ?? null,
        })),
      };
    },
  );

  app.get(
    '/hotspots/settings',
    { schema: { tags, summary: 'Detection settings per dimension (national centre)', response: { 200: Type.Array(SettingsSchema), ...errors(401, 403) } } },
    async (request) => {
      await request.staffWith('hotspot.settings');
      return listSettings(db.pool);
    },
  );

  app.patch(
    '/hotspots/settings/:dimension',
    {
      schema: {
        tags,
        summary: 'Change a dimension’s window, baseline, minimum count or threshold (national centre)',
        params: Type.Object({ dimension: Dimension }),
        body: SettingsChange,
        response: { 200: Type.Array(SettingsSchema), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await request.staffWith('hotspot.settings');
      if (!(await updateSettings(db.pool, request.params.dimension, request.body))) throw new AppError('not_found');
      return listSettings(db.pool);
    },
  );

  app.post(
    '/hotspots/scan',
    {
      schema: {
        tags,
        summary: 'Scan for hotspots now (national centre; the detector also runs every HOTSPOT_INTERVAL_MS)',
        response: { 200: ScanReply, ...errors(401, 403) },
      },
    },
    async (request) => {
      await request.staffWith('hotspot.settings');
      return detectHotspots(db, app.deps.config.clock.now());
    },
  );
};
