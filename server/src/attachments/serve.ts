import type { FastifyReply } from 'fastify';

/** Stored bytes ready to send: the type the bytes showed when they were stored. */
export interface ServedFile {
  stream: NodeJS.ReadableStream;
  size: number;
  mime: string;
  /** Our id of the file: the download name, never a user's file name. */
  id: string;
}

/**
 * Sends stored bytes so that a browser can show them but never run them: the type we detected
 * (and nosniff, so no browser guesses another), a CSP that allows nothing and sandboxes the
 * document, our own file name. Every uploaded file — complaint attachments and inspection
 * photos alike — is served through here.
 */
export function sendStoredFile(reply: FastifyReply, file: ServedFile) {
  reply
    .header('content-type', file.mime)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-store')
    .header('content-disposition', `inline; filename="${file.id}"`);
  if (file.size > 0) reply.header('content-length', file.size);
  return reply.send(file.stream);
}
