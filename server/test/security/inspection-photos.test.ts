import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, phonePhotoWithGps } from '../attachment-fixtures.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff } from '../factories.ts';
import { type Harness, startHarness } from '../harness.ts';

/**
 * Issue 11, "uploads": inspection photos go through the one upload pipeline — type from the
 * bytes, re-encoded without metadata, stored in the attachment storage, served with nosniff,
 * our own file name and a CSP that allows nothing. Before, they kept GPS and camera serial,
 * were checked by three bytes and were served without nosniff.
 */
let h: Harness;
let dataDir: string;
let inspector: StaffFixture;
let inspectionId: number;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'foad-inspection-photos-'));
  h = await startHarness({ DATA_DIR: dataDir });
  const [place] = (await places(h.db.pool)) as [Place];
  const tree = await buildTree(h.db.pool, place);
  inspector = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: place.provinceId });
  const filed = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/inspections',
    headers: inspector.headers,
    payload: { reason: 'cluster', complaintIds: [filed.json().id], inspectorId: inspector.id },
  });
  expect(res.statusCode, res.payload).toBe(201);
  inspectionId = res.json().id;
});
afterAll(async () => {
  await h?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const photos = () => h.db.pool.query('SELECT count(*)::int AS n FROM inspection_photos').then((r) => r.rows[0].n as number);

describe('inspection photos use the one upload pipeline', () => {
  it('a GPS-tagged phone photo comes back without GPS, camera or serial, with safe headers', async () => {
    const original = await phonePhotoWithGps();
    expect(await exifr.gps(original)).toMatchObject({ latitude: expect.any(Number) });
    const form = multipart(original, 'IMG_2041.jpg', 'image/jpeg');
    const up = await h.app.inject({
      method: 'POST',
      url: `/api/v1/inspections/${inspectionId}/photos`,
      headers: { ...inspector.headers, ...form.headers },
      payload: form.payload,
    });
    expect(up.statusCode, up.payload).toBe(201);
    const back = await h.app.inject({ url: `/api/v1/inspections/${inspectionId}/photos/${up.json().id}`, headers: inspector.headers });
    expect(back.statusCode).toBe(200);
    const served = back.rawPayload;
    expect(await exifr.gps(served).catch(() => undefined)).toBeUndefined();
    const tags = (await exifr.parse(served, { tiff: true, exif: true, gps: true }).catch(() => undefined)) ?? {};
    expect(tags).not.toHaveProperty('Make');
    expect(tags).not.toHaveProperty('Model');
    expect(tags).not.toHaveProperty('GPSLatitude');
    // Upright: the EXIF turn was applied to the pixels (64×48 stored landscape, orientation 6).
    expect(await sharp(served).metadata()).toMatchObject({ width: 48, height: 64 });
    expect(back.headers['x-content-type-options']).toBe('nosniff');
    expect(back.headers['content-security-policy']).toContain("default-src 'none'");
    expect(back.headers['content-disposition']).toMatch(/^inline; filename="inspection-\d+-photo-\d+"$/);
    expect(back.headers['content-type']).toBe('image/jpeg');
  });

  it('a disguised file is refused by its bytes and stores nothing', async () => {
    const before = await photos();
    const disguised = [
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('<html><script>alert(1)</script></html>')]), // 3 magic bytes, then HTML
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
      Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200, 1)]),
    ];
    for (const bytes of disguised) {
      const form = multipart(bytes, 'photo.jpg', 'image/jpeg');
      const res = await h.app.inject({
        method: 'POST',
        url: `/api/v1/inspections/${inspectionId}/photos`,
        headers: { ...inspector.headers, ...form.headers },
        payload: form.payload,
      });
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({ error: { code: 'unsupported_photo' } });
    }
    expect(await photos()).toBe(before);
  });
});
