import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** Bytes to store: in memory (a re-encoded image) or a file on disk (a streamed upload). */
export type StoredBody = { buffer: Buffer } | { path: string; size: number };

/**
 * Where attachment bytes live. Keys are ours (`complaints/<id>/<attachment>`), never a user's
 * file name. `get` returns null for a key that is not there.
 */
export interface AttachmentStorage {
  readonly kind: 'local' | 's3';
  put(key: string, body: StoredBody, contentType: string): Promise<void>;
  get(key: string): Promise<{ stream: Readable; size: number } | null>;
  delete(key: string): Promise<void>;
}

/** The default: files under a folder (DATA_DIR/attachments), written to a temporary name and renamed, so a reader never sees half a file. */
export class LocalDiskStorage implements AttachmentStorage {
  readonly kind = 'local';
  private readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathOf(key: string): string {
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new Error(`attachment key outside the storage folder: ${key}`);
    return path;
  }

  async put(key: string, body: StoredBody): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.partial`;
    if ('buffer' in body) await writeFile(partial, body.buffer);
    else await copyFile(body.path, partial);
    await rename(partial, path);
  }

  async get(key: string): Promise<{ stream: Readable; size: number } | null> {
    const path = this.pathOf(key);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) return null;
    return { stream: createReadStream(path), size: info.size };
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** The folder (for tests and operations). */
  get folder(): string {
    return this.root;
  }

  /** Every stored file's key (for tests that check nothing was left behind). */
  async keys(): Promise<string[]> {
    const entries = await readdir(this.root, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(this.root.length + 1));
  }
}

export interface S3Settings {
  endpoint: string | null;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style URLs (`endpoint/bucket/key`), which MinIO, Ceph and most self-hosted servers need. */
  forcePathStyle: boolean;
}

/** Any S3-compatible object store (MinIO, Ceph RGW, ArvanCloud, AWS) through the AWS SDK v3 client. */
export class S3Storage implements AttachmentStorage {
  readonly kind = 's3';
  readonly client: S3Client;
  constructor(readonly settings: S3Settings) {
    this.client = new S3Client({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      forcePathStyle: settings.forcePathStyle,
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      // The SDK's default (since 2025) adds CRC trailers in aws-chunked bodies, which many
      // S3-compatible servers store verbatim or refuse; checksums only where an API requires them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, body: StoredBody, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.settings.bucket,
        Key: key,
        ContentType: contentType,
        ...('buffer' in body ? { Body: body.buffer, ContentLength: body.buffer.length } : { Body: createReadStream(body.path), ContentLength: body.size }),
      }),
    );
  }

  async get(key: string): Promise<{ stream: Readable; size: number } | null> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: key }));
      return { stream: object.Body as Readable, size: Number(object.ContentLength ?? 0) };
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key }));
  }

  /** Releases the client's sockets. */
  close(): void {
    this.client.destroy();
  }
}

/** The storage the settings name. */
export function storageFromConfig(config: { attachmentStorage: 'local' | 's3'; attachmentDir: string; s3: S3Settings | null }): AttachmentStorage {
  if (config.attachmentStorage === 's3') {
    if (!config.s3) throw new Error('ATTACHMENT_STORAGE=s3 needs S3_BUCKET');
    return new S3Storage(config.s3);
  }
  return new LocalDiskStorage(config.attachmentDir);
}

/** The file's key for a complaint's attachment and its thumbnail. */
export function attachmentKeys(complaintId: string, attachmentId: string, withThumbnail: boolean) {
  const base = `complaints/${complaintId}/${attachmentId}`;
  return { original: base, thumbnail: withThumbnail ? `${base}.thumb.jpg` : null };
}
