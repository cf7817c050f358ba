import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyComplaintChain } from '../src/complaints/verify-complaint-chain.ts';
import { multipart, phonePhotoWithGps } from './attachment-fixtures.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
let place: Place;
let tree: Tree;
let head: StaffFixture;
let admin: StaffFixture;
let strictCategory: number;
let plainCategory: number;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'foad-evidence-'));
  h = await startHarness({ DATA_DIR: dataDir });
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place, 'سازمان مستند');
  head = await staff(h.db, h.config, 'inspection_head', { unit: tree.directorate }, { inspectionHead: true });
  admin = await staff(h.db, h.config, 'national_admin');
  const { rows } = await h.db.pool.query<{ id: number }>('SELECT id FROM categories WHERE active ORDER BY id LIMIT 2');
  [strictCategory, plainCategory] = rows.map((r) => r.id) as [number, number];
  const set = await h.app.inject({
    method: 'PATCH',
    url: `/api/v1/admin/categories/${strictCategory}`,
    payload: { answerNeedsEvidence: true },
    headers: admin.headers,
  });
  expect(set.statusCode).toBe(200);
  expect(set.json().answerNeedsEvidence).toBe(true);
});
afterAll(async () => {
  await h?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function fileOne(categoryId: number) {
  const body = complaintBody(tree.organisation.id, place.countyIds[0]!, { categoryId });
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    payload: body,
    headers: { 'idempotency-key': `web-${randomBytes(8).toString('hex')}` },
  });
  expect(res.statusCode).toBe(201);
  return { ...(res.json() as { id: string; trackingCode: string }), phone: `+98${body.contact.phone.slice(1)}` };
}

function upload(url: string, bytes: Buffer, headers: Record<string, string>) {
  const form = multipart(bytes, 'photo.jpg', 'image/jpeg');
  return h.app.inject({ method: 'POST', url, payload: form.payload, headers: { ...form.headers, ...headers } });
}

const answer = (id: string, extra: Record<string, unknown> = {}) =>
  h.app.inject({
    method: 'POST',
    url: `/api/v1/complaints/${id}/actions`,
    payload: { action: 'answer', text: 'باجهٔ شمارهٔ ۲ از امروز دو کارمند دارد؛ عکس باجه پیوست است.', ...extra },
    headers: head.headers,
  });

async function snapshot(id: string) {
  const row = await h.db.pool.query('SELECT status, answer, last_seq FROM complaints WHERE id = $1', [id]);
  const events = await h.db.pool.query('SELECT count(*)::int AS n FROM complaint_events WHERE complaint_id = $1', [id]);
  const outbox = await h.db.pool.query('SELECT count(*)::int AS n FROM outbox WHERE complaint_id = $1', [id]);
  return { row: row.rows[0], events: events.rows[0].n, outbox: outbox.rows[0].n };
}

const otpFrom = (text: string) => (text.match(/[۰-۹]{6}/)?.[0] ?? '').replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));

describe('closure with evidence', () => {
  it('a category that needs evidence refuses an answer without it and writes nothing', async () => {
    const c = await fileOne(strictCategory);
    const before = await snapshot(c.id);
    const res = await answer(c.id);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'answer_needs_evidence', message: expect.stringMatching(/مستند/) });
    const en = await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${c.id}/actions`,
      payload: { action: 'answer', text: 'The second desk now has two clerks; see the photo.' },
      headers: { ...head.headers, 'accept-language': 'en' },
    });
    expect(en.json().error.message).toMatch(/evidence/);
    expect(await snapshot(c.id)).toEqual(before);
  });

  it('another complaint’s file is not evidence, and nothing is written', async () => {
    const c = await fileOne(strictCategory);
    const other = await fileOne(strictCategory);
    const foreign = await upload(`/api/v1/complaints/${other.id}/attachments`, await phonePhotoWithGps(), head.headers);
    expect(foreign.statusCode).toBe(201);
    const before = await snapshot(c.id);
    const res = await answer(c.id, { evidenceIds: [foreign.json().attachment.id] });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('evidence_not_found');
    expect(await snapshot(c.id)).toEqual(before);
    // Bad input is refused by the schema before anything runs.
    expect((await answer(c.id, { evidenceIds: ['not-a-uuid'] })).statusCode).toBe(400);
    expect(await snapshot(c.id)).toEqual(before);
  });

  it('with the office’s photo the answer is accepted, chained with its evidence, and the citizen sees it', async () => {
    const c = await fileOne(strictCategory);
    const photo = await upload(`/api/v1/complaints/${c.id}/attachments`, await phonePhotoWithGps(), head.headers);
    expect(photo.statusCode).toBe(201);
    const evidenceId = photo.json().attachment.id as string;
    const res = await answer(c.id, { evidenceIds: [evidenceId] });
    expect(res.statusCode).toBe(200);
    const { rows } = await h.db.pool.query(`SELECT data FROM complaint_events WHERE complaint_id = $1 AND type = 'answered'`, [c.id]);
    expect(rows[0].data.evidence).toEqual([evidenceId]);
    expect(await verifyComplaintChain(h.db.pool, c.id)).toMatchObject({ valid: true, projectionMatches: true, headMatches: true });

    // Only after the one-time code: the public status shows no evidence.
    const publicView = await h.app.inject({ url: `/api/v1/track/${c.trackingCode}` });
    expect(publicView.json().evidence).toBeUndefined();
    await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp` });
    const verified = await h.app.inject({
      method: 'POST',
      url: `/api/v1/track/${c.trackingCode}/otp/verify`,
      payload: { otp: otpFrom(h.sms.lastTo(c.phone)!.text) },
    });
    const bearer = { authorization: `Bearer ${verified.json().token}` };
    const view = (await h.app.inject({ url: `/api/v1/track/${c.trackingCode}/full`, headers: bearer })).json();
    expect(view.evidence).toEqual([expect.objectContaining({ id: evidenceId, kind: 'image', source: 'staff' })]);
    // No uploader, no storage key: only what the citizen needs to fetch the photo.
    expect(Object.keys(view.evidence[0]).sort()).toEqual([
      'createdAt',
      'hasThumbnail',
      'height',
      'id',
      'kind',
      'mime',
      'sha256',
      'sizeBytes',
      'source',
      'width',
    ]);
    const bytes = await h.app.inject({ url: `/api/v1/track/${c.trackingCode}/attachments/${evidenceId}?variant=thumbnail`, headers: bearer });
    expect(bytes.statusCode).toBe(200);
  });

  it('a category without the setting is answered as before', async () => {
    const c = await fileOne(plainCategory);
    expect((await answer(c.id)).statusCode).toBe(200);
    expect((await snapshot(c.id)).row.status).toBe('answered');
  });
});
