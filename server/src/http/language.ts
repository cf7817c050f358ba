import type { FastifyRequest } from 'fastify';

/** The language of replies: English when the request asks for it first, Persian otherwise. */
export function languageOf(request: FastifyRequest): 'fa' | 'en' {
  const header = request.headers['accept-language'];
  return typeof header === 'string' && /^\s*en\b/i.test(header) ? 'en' : 'fa';
}
