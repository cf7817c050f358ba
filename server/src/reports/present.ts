import type { FastifyReply } from 'fastify';
import { AppError } from '../core/errors.ts';
import { type Period, parsePeriod } from '../domain/jalali-periods.ts';
import type { ReportCard } from './build-report-card.ts';
import { cardCsv, cardHtml, cardXlsx } from './export-card.ts';

/** The period in a URL, or a 400. */
export function periodParam(text: string): Period {
  const period = parsePeriod(text);
  if (!period) throw new AppError('invalid_period', { period: text });
  return period;
}

/** Sends a card as JSON, CSV, XLSX or a printable HTML page. */
export async function sendCard(reply: FastifyReply, card: ReportCard, format: string | undefined, version: number | null = null) {
  const name = `foad-report-card-${card.period.key}-${card.audience}${version ? `-v${version}` : ''}`;
  switch (format) {
    case 'csv':
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(cardCsv(card));
    case 'xlsx':
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${name}.xlsx"`)
        .send(await cardXlsx(card));
    case 'html':
      return reply.type('text/html; charset=utf-8').send(cardHtml(card, version));
    default:
      return reply.send(card);
  }
}
