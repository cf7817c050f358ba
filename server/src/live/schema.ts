import { Type } from 'typebox';
import { Nullable } from '../core/schemas.ts';

export const MAP_MEASURES = ['complaints_today', 'complaints_today_per_100k', 'open', 'breached_open', 'breaches_today'] as const;
export type MapMeasure = (typeof MAP_MEASURES)[number];

/** `<last complaint event id>-<last alert id>`: the SSE id of every message, sent back as Last-Event-ID. */
export const CursorText = Type.String({
  pattern: '^[0-9]{1,15}-[0-9]{1,10}$',
  description: 'Resume after this position (the `id` of the last message received)',
});

export const LiveEventsQuery = Type.Object({ lastEventId: Type.Optional(CursorText) }, { additionalProperties: false });
export const LiveEventsHeaders = Type.Object({ 'last-event-id': Type.Optional(CursorText) });

export const LiveEventsReply = Type.String({
  description:
    'text/event-stream. First `event: ready` with the current position; then `complaint_new`, `state_change`, `warning`, `breach`, `escalation` ' +
    '(data: `{ source: "complaint", id, type, at, complaintId, trackingCode, status, unitId, agencyId, provinceId, countyId, categoryId, urgent, data }` — ' +
    'data holds only ids, kinds and times) and `hotspot` (data: `{ source: "alert", id, dimension, unitId, provinceId, categoryId, windowCount, expected }`); ' +
    '`reset` when events may have been missed (reload the dashboard). Only events in the viewer’s scope are sent.',
});

export const DashboardQuery = Type.Object(
  {
    measure: Type.Optional(Type.Enum(MAP_MEASURES, { default: 'complaints_today', description: 'What `provinces[].value` holds (the map colour)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10, description: 'How many busiest agencies' })),
  },
  { additionalProperties: false },
);

export const DashboardReply = Type.Object({
  generatedAt: Type.String({ format: 'date-time' }),
  today: Type.Object({ start: Type.String({ format: 'date-time', description: 'Start of the Asia/Tehran day' }), jalali: Type.String() }),
  complaints: Type.Object({ lastHour: Type.Integer(), today: Type.Integer() }),
  open: Type.Object({
    total: Type.Integer(),
    ok: Type.Integer(),
    warned: Type.Integer({ description: 'A warning fired and the deadline is still ahead' }),
    breached: Type.Integer({ description: 'Past a deadline now, or breached one before' }),
  }),
  breaches: Type.Object({ lastHour: Type.Integer(), today: Type.Integer() }),
  measure: Type.Enum(MAP_MEASURES),
  provinces: Type.Array(
    Type.Object({
      provinceId: Type.Integer(),
      nameFa: Type.String(),
      nameEn: Type.String(),
      value: Type.Number(),
      complaintsToday: Type.Integer(),
      open: Type.Integer(),
      breachedOpen: Type.Integer(),
      breachesToday: Type.Integer(),
      population: Nullable(Type.Integer()),
    }),
  ),
  busiestAgencies: Type.Array(Type.Object({ agencyId: Type.Integer(), nameFa: Type.String(), complaintsToday: Type.Integer(), open: Type.Integer() })),
});
