import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Api } from 'grammy';
import { type AttachmentSettings, addAttachment } from '../../attachments/add-attachment.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';

/** A file the citizen sent in the chat, as the draft keeps it: `<kind>:<file_id>`. */
export function fileIdOf(noted: string): string {
  return noted.slice(noted.indexOf(':') + 1);
}

/**
 * Fetches the files a citizen sent in the chat from the messenger (Bot API getFile, then the
 * file download URL) and stores each as a real attachment of the complaint, through the same
 * checks as a web upload (type from the bytes, size per kind, photo metadata stripped). The
 * file_id is the attachment's source reference, so a repeated confirmation stores nothing twice.
 * Returns how many were stored and which failed (a failure never undoes the filed complaint).
 */
export async function storeBotFiles(
  db: Database,
  settings: AttachmentSettings,
  bot: { api: Api; token: string; apiRoot: string; channel: 'telegram' | 'bale' },
  complaintId: string,
  noted: string[],
): Promise<{ stored: number; failed: { fileId: string; error: unknown }[] }> {
  const largest = Math.max(...Object.values(settings.maxBytes));
  const failed: { fileId: string; error: unknown }[] = [];
  let stored = 0;
  for (const entry of noted) {
    const fileId = fileIdOf(entry);
    const path = join(tmpdir(), `foad-bot-${randomBytes(8).toString('hex')}`);
    try {
      const file = await bot.api.getFile(fileId);
      if (!file.file_path) throw new Error('the Bot API gave no file_path');
      if (file.file_size !== undefined && file.file_size > largest) throw new AppError('attachment_too_large', { maxBytes: largest });
      const response = await fetch(`${bot.apiRoot}/file/bot${bot.token}/${file.file_path}`, { signal: AbortSignal.timeout(60_000) });
      if (!response.ok || !response.body) throw new Error(`file download answered ${response.status}`);
      let received = 0;
      const cap = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          received += chunk.length;
          done(received > largest ? new AppError('attachment_too_large', { maxBytes: largest }) : null, chunk);
        },
      });
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), cap, createWriteStream(path, { mode: 0o600 }));
      const { size } = await stat(path);
      await addAttachment(db, settings, {
        complaintId,
        path,
        size,
        source: bot.channel,
        sourceRef: fileId,
        actor: { kind: 'citizen', id: null },
        user: null,
      });
      stored++;
    } catch (error) {
      failed.push({ fileId, error });
    } finally {
      await rm(path, { force: true });
    }
  }
  return { stored, failed };
}
