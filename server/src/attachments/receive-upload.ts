import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.ts';

export interface ReceivedFile {
  path: string;
  size: number;
  /** Removes the temporary file (always call it). */
  discard(): Promise<void>;
}

/**
 * Streams the one file of a multipart request (field `file`) to a temporary file, never holding
 * it in memory. `maxBytes` (the largest of the per-kind limits) stops the stream as soon as it
 * is passed; the per-kind limit is checked once the bytes show the type.
 */
export async function receiveUpload(request: FastifyRequest, maxBytes: number): Promise<ReceivedFile> {
  if (!request.isMultipart()) throw new AppError('unsupported_media_type', { expected: 'multipart/form-data' });
  const part = await request.file({ limits: { fileSize: maxBytes, files: 1, fields: 4, parts: 5 } }).catch((error: unknown) => {
    throw new AppError('validation_failed', { reason: error instanceof Error ? error.message : 'bad multipart body' });
  });
  if (part?.fieldname !== 'file') throw new AppError('attachment_missing');
  const path = join(tmpdir(), `foad-upload-${randomBytes(8).toString('hex')}`);
  const discard = () => rm(path, { force: true });
  try {
    await pipeline(part.file, createWriteStream(path, { mode: 0o600 }));
    if (part.file.truncated) throw new AppError('attachment_too_large', { maxBytes });
    const { size } = await stat(path);
    if (size === 0) throw new AppError('attachment_missing');
    return { path, size, discard };
  } catch (error) {
    await discard();
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('attachment_too_large', { maxBytes });
    throw error;
  }
}

/**
 * The upload as multipart (field `file`, what browsers send) or, for API clients that post the
 * bytes themselves, as the raw body a content-type parser kept as a buffer. Either way a
 * temporary file the pipeline reads from.
 */
export async function receiveUploadOrBody(request: FastifyRequest, maxBytes: number): Promise<ReceivedFile> {
  if (request.isMultipart()) return receiveUpload(request, maxBytes);
  if (!Buffer.isBuffer(request.body) || request.body.length === 0) throw new AppError('attachment_missing');
  const path = join(tmpdir(), `foad-upload-${randomBytes(8).toString('hex')}`);
  await writeFile(path, request.body, { mode: 0o600 });
  return { path, size: request.body.length, discard: () => rm(path, { force: true }) };
}
