import { XMLBuilder } from 'fast-xml-parser';
import type { FastifyReply } from 'fastify';
import { OPEN_STATUSES } from '../../domain/lifecycle.ts';

/** GeoReport v2 answers in JSON or XML, chosen by the path's extension. */
export type Format = 'json' | 'xml';

const xml = new XMLBuilder({ format: true, ignoreAttributes: true, suppressEmptyNode: true });

/** The statuses GeoReport calls "open"; every other status is "closed". */
export const STATUS_OPEN: readonly string[] = OPEN_STATUSES;

/** An error in the standard's own shape (`[{ code, description }]`), not our `{ error }` body. */
export class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    /** Seconds for Retry-After, on a 429. */
    readonly retryAfter?: number,
  ) {
    super(description);
  }
}

export function xmlDocument(root: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${xml.build(root)}`;
}

export function send(reply: FastifyReply, format: Format, root: string, item: string, items: unknown[], status = 200) {
  if (format === 'xml')
    return reply
      .status(status)
      .type('text/xml; charset=utf-8')
      .send(xmlDocument({ [root]: { [item]: items } }));
  return reply.status(status).type('application/json; charset=utf-8').send(items);
}

export function formatOf(raw: string): Format {
  if (raw !== 'json' && raw !== 'xml') throw new Open311Error(404, 'format must be json or xml');
  return raw;
}
