import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalDiskStorage } from '../src/attachments/storage.ts';
import { multipart, noisyPng, opusVoiceNote, phonePhotoWithGps } from './attachment-fixtures.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
let place: Place;
let tree: Tree;
let other: Tree;
let head: StaffFixture;
let outsider: StaffFixture;
let dataDir: string;
let storage: LocalDiskStorage;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'foad-attachments-'));
  h = await startHarness({
    DATA_DIR: dataDir,
    ATTACHMENT_MAX_IMAGE_KB: '64',
    ATTACHMENT_MAX_VOICE_KB: '4',
    ATTACHMENT_MAX_VIDEO_KB: '256',
    ATTACHMENTS_PER_COMPLAINT: '3',
  });
  storage = h.app.deps.attachmentStorage as LocalDiskStorage;
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place, 'سازمان پیوست');
  other = await buildTree(h.db.pool, place, 'سازمان دیگر');
  head = await staff(h.db, h.config, 'inspection_head', { unit: tree.directorate }, { inspectionHead: true });
  outsider = await staff(h.db, h.config, 'inspection_head', { unit: other.directorate }, { inspectionHead: true });
});
afterAll(async () => {
  await h?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function fileOne() {
  const key = `web-${randomBytes(8).toString('hex')}`;
  const body = complaintBody(tree.organisation.id, place.countyIds[0]!);
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: body, headers: { 'idempotency-key': key } });
  expect(res.statusCode).toBe(201);
  return { ...(res.json() as { id: string; trackingCode: string }), key, phone: `+98${body.contact.phone.slice(1)}` };
}

function upload(url: string, bytes: Buffer, filename: string, type: string, headers: Record<string, string> = {}) {
  const form = multipart(bytes, filename, type);
  return h.app.inject({ method: 'POST', url, payload: form.payload, headers: { ...form.headers, ...headers } });
}

async function rowsOf(complaintId: string) {
  const attachments = await h.db.pool.query('SELECT * FROM attachments WHERE complaint_id = $1', [complaintId]);
  const events = await h.db.pool.query(`SELECT data FROM complaint_events WHERE complaint_id = $1 AND type = 'attachment_added'`, [complaintId]);
  return { attachments: attachments.rows, events: events.rows };
}

const otpFrom = (text: string) => (text.match(/[۰-۹]{6}/)?.[0] ?? '').replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));

describe('attachments', () => {
  it('a phone photo is stored without its GPS position or camera, upright, with a thumbnail', async () => {
    const c = await fileOne();
    const original = await phonePhotoWithGps();
    // The fixture really carries what must go.
    expect(await exifr.gps(original)).toMatchObject({ latitude: expect.closeTo(35.68, 2) });
    expect((await exifr.parse(original))?.Make).toBe('Samsung');

    const res = await upload(`/api/v1/complaints/${c.id}/attachments`, original, 'IMG_2041.jpg', 'image/jpeg', head.headers);
    expect(res.statusCode).toBe(201);
    const { attachment } = res.json();
    expect(attachment).toMatchObject({ kind: 'image', mime: 'image/jpeg', hasThumbnail: true, source: 'staff', width: 48, height: 64 });

    const { attachments, events } = await rowsOf(c.id);
    expect(attachments).toHaveLength(1);
    expect(events).toEqual([{ data: expect.objectContaining({ attachmentId: attachment.id, kind: 'image', sha256: attachment.sha256 }) }]);
    const stored = readFileSync(join(storage.folder, attachments[0].storage_key));
    expect(await exifr.parse(stored)).toBeUndefined();
    expect(await exifr.gps(stored).catch(() => undefined)).toBeUndefined();
    const meta = await sharp(stored).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation ?? 1).toBe(1);
    expect([meta.width, meta.height]).toEqual([48, 64]);

    // Fetched back by staff in scope: the same bytes, typed from the bytes; the thumbnail too.
    const got = await h.app.inject({ url: `/api/v1/complaints/${c.id}/attachments/${attachment.id}`, headers: head.headers });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.rawPayload.equals(stored)).toBe(true);
    const thumb = await h.app.inject({ url: `/api/v1/complaints/${c.id}/attachments/${attachment.id}?variant=thumbnail`, headers: head.headers });
    expect(thumb.statusCode).toBe(200);
    expect((await sharp(thumb.rawPayload).metadata()).format).toBe('jpeg');

    // Listed in the detail, in the timeline, and the chain still verifies.
    const detail = (await h.app.inject({ url: `/api/v1/complaints/${c.id}`, headers: head.headers })).json();
    expect(detail.attachments.map((a: { id: string }) => a.id)).toEqual([attachment.id]);
    expect(detail.timeline.map((e: { type: string }) => e.type)).toContain('attachment_added');
    const admin = await staff(h.db, h.config, 'national_admin');
    const verify = (await h.app.inject({ url: `/api/v1/complaints/${c.id}/verify`, headers: admin.headers })).json();
    expect(verify).toMatchObject({ valid: true, projectionMatches: true, headMatches: true });
  });

  it('a file named .jpg that is something else is refused, and nothing is stored', async () => {
    const c = await fileOne();
    const before = await storage.keys();
    for (const bytes of [
      Buffer.from('<html><script>alert(1)</script></html>'.repeat(20)),
      Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(500)]),
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(500)]),
      // Starts like a JPEG but is not one.
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(500)]),
    ]) {
      const res = await upload(`/api/v1/complaints/${c.id}/attachments`, bytes, 'photo.jpg', 'image/jpeg', head.headers);
      expect(res.statusCode).toBe(415);
      expect(res.json().error.code).toBe('attachment_type_not_allowed');
      expect(res.json().error.messages.fa).toContain('پرونده');
    }
    expect(await rowsOf(c.id)).toEqual({ attachments: [], events: [] });
    expect(await storage.keys()).toEqual(before);
  });

  it('too large for its kind is refused, and nothing is stored', async () => {
    const c = await fileOne();
    const before = await storage.keys();
    // A 150 KB PNG: under the largest limit (video, 256 KB), over the image limit (64 KB).
    const big = await noisyPng(220);
    expect(big.length).toBeGreaterThan(64 * 1024);
    const res = await upload(`/api/v1/complaints/${c.id}/attachments`, big, 'small.png', 'image/png', head.headers);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('attachment_too_large');
    // Over every limit: the stream is cut while it arrives.
    const huge = await upload(
      `/api/v1/complaints/${c.id}/attachments`,
      Buffer.concat([opusVoiceNote(), randomBytes(300 * 1024)]),
      'v.ogg',
      'audio/ogg',
      head.headers,
    );
    expect(huge.statusCode).toBe(413);
    expect(await rowsOf(c.id)).toEqual({ attachments: [], events: [] });
    expect(await storage.keys()).toEqual(before);
  });

  it('only those who may read the complaint may attach or fetch', async () => {
    const c = await fileOne();
    const ok = await upload(`/api/v1/complaints/${c.id}/attachments`, await phonePhotoWithGps(), 'a.jpg', 'image/jpeg', head.headers);
    const id = ok.json().attachment.id;
    // Staff of another agency: not found, as with every out-of-scope read.
    expect((await h.app.inject({ url: `/api/v1/complaints/${c.id}/attachments`, headers: outsider.headers })).statusCode).toBe(404);
    expect((await h.app.inject({ url: `/api/v1/complaints/${c.id}/attachments/${id}`, headers: outsider.headers })).statusCode).toBe(404);
    const sneaky = await upload(`/api/v1/complaints/${c.id}/attachments`, await phonePhotoWithGps(), 'a.jpg', 'image/jpeg', outsider.headers);
    expect(sneaky.statusCode).toBe(404);
    // A read-only auditor may read but not add.
    const auditor = await staff(h.db, h.config, 'auditor', { unit: tree.directorate });
    expect((await upload(`/api/v1/complaints/${c.id}/attachments`, await phonePhotoWithGps(), 'a.jpg', 'image/jpeg', auditor.headers)).statusCode).toBe(403);
    // Nobody signed in, and the citizen without a token.
    expect((await h.app.inject({ url: `/api/v1/complaints/${c.id}/attachments/${id}` })).statusCode).toBe(401);
    expect((await h.app.inject({ url: `/api/v1/track/${c.trackingCode}/attachments/${id}` })).statusCode).toBe(401);
    expect(
      (await h.app.inject({ url: `/api/v1/track/${c.trackingCode}/attachments/${id}`, headers: { authorization: 'Bearer not-a-token' } })).statusCode,
    ).toBe(401);
    // Another citizen's intake key is no proof.
    const stranger = await upload(`/api/v1/complaints/${c.id}/attachments`, opusVoiceNote(), 'v.ogg', 'audio/ogg', {
      'idempotency-key': 'web-someone-else-123',
    });
    expect(stranger.statusCode).toBe(401);
    expect((await rowsOf(c.id)).attachments).toHaveLength(1);
  });

  it('the web citizen attaches right after filing with the intake key, and later with the tracking token', async () => {
    const c = await fileOne();
    const atFiling = await upload(`/api/v1/complaints/${c.id}/attachments`, opusVoiceNote(), 'voice.ogg', 'audio/ogg', { 'idempotency-key': c.key });
    expect(atFiling.statusCode).toBe(201);
    expect(atFiling.json().attachment).toMatchObject({ kind: 'voice', mime: 'audio/ogg', source: 'web', hasThumbnail: false });

    await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp` });
    const verified = await h.app.inject({
      method: 'POST',
      url: `/api/v1/track/${c.trackingCode}/otp/verify`,
      payload: { otp: otpFrom(h.sms.lastTo(c.phone)!.text) },
    });
    const token = verified.json().token as string;
    const bearer = { authorization: `Bearer ${token}` };
    const later = await upload(`/api/v1/track/${c.trackingCode}/attachments`, await phonePhotoWithGps(), 'x.png', 'image/png', bearer);
    expect(later.statusCode).toBe(201);
    expect(later.json().attachment.mime).toBe('image/jpeg'); // from the bytes, not the name or declared type

    const view = (await h.app.inject({ url: `/api/v1/track/${c.trackingCode}/full`, headers: bearer })).json();
    expect(view.attachments.map((a: { kind: string }) => a.kind)).toEqual(['voice', 'image']);
    expect(view.timeline.filter((e: { type: string }) => e.type === 'attachment_added')).toHaveLength(2);
    const voice = await h.app.inject({ url: `/api/v1/track/${c.trackingCode}/attachments/${view.attachments[0].id}`, headers: bearer });
    expect(voice.statusCode).toBe(200);
    expect(voice.headers['content-type']).toBe('audio/ogg');
    expect(createHash('sha256').update(voice.rawPayload).digest('hex')).toBe(view.attachments[0].sha256);

    // The token opens this complaint only.
    const other = await fileOne();
    const otherOk = await upload(`/api/v1/complaints/${other.id}/attachments`, opusVoiceNote(), 'v.ogg', 'audio/ogg', { 'idempotency-key': other.key });
    expect(otherOk.statusCode).toBe(201);
    const cross = await h.app.inject({ url: `/api/v1/track/${other.trackingCode}/attachments/${otherOk.json().attachment.id}`, headers: bearer });
    expect(cross.statusCode).toBe(401);
    const wrongComplaint = await h.app.inject({ url: `/api/v1/track/${c.trackingCode}/attachments/${otherOk.json().attachment.id}`, headers: bearer });
    expect(wrongComplaint.statusCode).toBe(404);
  });

  it('a complaint takes at most ATTACHMENTS_PER_COMPLAINT files; the one too many leaves nothing behind', async () => {
    const c = await fileOne();
    for (let i = 0; i < 3; i++) {
      expect((await upload(`/api/v1/complaints/${c.id}/attachments`, opusVoiceNote(), 'v.ogg', 'audio/ogg', head.headers)).statusCode).toBe(201);
    }
    const before = await storage.keys();
    const extra = await upload(`/api/v1/complaints/${c.id}/attachments`, await phonePhotoWithGps(), 'p.jpg', 'image/jpeg', head.headers);
    expect(extra.statusCode).toBe(409);
    expect(extra.json().error.code).toBe('attachment_limit');
    expect((await rowsOf(c.id)).attachments).toHaveLength(3);
    // The photo was stored before the count was checked in the transaction, and deleted again.
    expect(await storage.keys()).toEqual(before);
  });

  it('a request without a file, or not multipart, is refused cleanly', async () => {
    const c = await fileOne();
    const json = await h.app.inject({ method: 'POST', url: `/api/v1/complaints/${c.id}/attachments`, payload: { file: 'x' }, headers: head.headers });
    expect(json.statusCode).toBe(415);
    const empty = await upload(`/api/v1/complaints/${c.id}/attachments`, Buffer.alloc(0), 'a.jpg', 'image/jpeg', head.headers);
    expect(empty.statusCode).toBe(400);
    expect((await rowsOf(c.id)).attachments).toHaveLength(0);
  });
});
