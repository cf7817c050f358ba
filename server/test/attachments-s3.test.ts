import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import exifr from 'exifr';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Storage } from '../src/attachments/storage.ts';
import { multipart, phonePhotoWithGps } from './attachment-fixtures.ts';
import { buildTree, complaintBody, type Place, places, staff } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * The S3 storage against s3rver: a real HTTP server on 127.0.0.1 that speaks the S3 REST
 * protocol (signed requests, XML errors, PutObject/GetObject/DeleteObject), so the AWS SDK
 * client runs exactly as against MinIO or a cloud bucket.
 */
const BUCKET = 'foad-attachments';
let server: S3rver;
let dir: string;
let endpoint: string;
let h: Harness;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'foad-s3-'));
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: BUCKET }] });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  h = await startHarness({
    ATTACHMENT_STORAGE: 's3',
    S3_ENDPOINT: endpoint,
    S3_BUCKET: BUCKET,
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
  });
});
afterAll(async () => {
  (h?.app.deps.attachmentStorage as S3Storage | undefined)?.close();
  await h?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('S3-compatible attachment storage', () => {
  it('round-trips bytes from memory and from a file, and deletes them', async () => {
    const storage = new S3Storage({ endpoint, region: 'us-east-1', bucket: BUCKET, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true });
    const bytes = Buffer.from('صدای شهروند — voice bytes');
    await storage.put('complaints/x/one', { buffer: bytes }, 'audio/ogg');
    const file = join(dir, 'upload.bin');
    writeFileSync(file, Buffer.alloc(70_000, 7));
    await storage.put('complaints/x/two', { path: file, size: 70_000 }, 'video/mp4');

    const one = await storage.get('complaints/x/one');
    expect(one?.size).toBe(bytes.length);
    expect(Buffer.concat(await one!.stream.toArray()).equals(bytes)).toBe(true);
    const two = await storage.get('complaints/x/two');
    expect(Buffer.concat(await two!.stream.toArray()).equals(Buffer.alloc(70_000, 7))).toBe(true);

    await storage.delete('complaints/x/one');
    expect(await storage.get('complaints/x/one')).toBeNull();
    expect(await storage.get('complaints/never/there')).toBeNull();
    storage.close();
  });

  it('an upload through the API lands in the bucket (clean photo and thumbnail) and is served from it', async () => {
    const [place] = (await places(h.db.pool)) as [Place];
    const tree = await buildTree(h.db.pool, place);
    const head = await staff(h.db, h.config, 'inspection_head', { unit: tree.directorate });
    const filed = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
    const id = filed.json().id as string;
    const form = multipart(await phonePhotoWithGps(), 'p.jpg', 'image/jpeg');
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${id}/attachments`,
      payload: form.payload,
      headers: { ...form.headers, ...head.headers },
    });
    expect(res.statusCode).toBe(201);
    const attachment = res.json().attachment;

    const storage = h.app.deps.attachmentStorage as S3Storage;
    const listed = await storage.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `complaints/${id}/` }));
    expect(listed.Contents?.map((o) => o.Key).sort()).toEqual([`complaints/${id}/${attachment.id}`, `complaints/${id}/${attachment.id}.thumb.jpg`]);

    const got = await h.app.inject({ url: `/api/v1/complaints/${id}/attachments/${attachment.id}`, headers: head.headers });
    expect(got.statusCode).toBe(200);
    expect(createHash('sha256').update(got.rawPayload).digest('hex')).toBe(attachment.sha256);
    expect(await exifr.gps(got.rawPayload).catch(() => undefined)).toBeUndefined();
  });
});
