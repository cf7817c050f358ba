import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffMs, dispatchOnce } from '../src/notifications/dispatcher.ts';
import { HttpSmsGateway, MemoryProvider, type NotificationProvider, WebInboxProvider } from '../src/notifications/provider.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
let place: Place;
let tree: Tree;
let head: StaffFixture;

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  head = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[0] }, { inspectionHead: true });
});
afterAll(() => h.close());

async function file(): Promise<{ id: string; phone: string }> {
  const body = complaintBody(tree.organisation.id, place.countyIds[0]!);
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: body });
  return { id: res.json().id, phone: `+98${body.contact.phone.slice(1)}` };
}

/** Delivers everything that is due, retrying without real waiting (retries are made due at once). */
async function drain(providers: Record<string, NotificationProvider>, rounds = 20, extra: Record<string, unknown> = {}) {
  for (let i = 0; i < rounds; i++) {
    await dispatchOnce(h.db, { providers, baseDelayMs: 1, ...extra });
    await h.db.pool.query(`UPDATE outbox SET next_attempt_at = now() WHERE status = 'pending'`);
  }
}

class FlakyProvider implements NotificationProvider {
  readonly name = 'flaky';
  calls = 0;
  readonly delivered: string[] = [];
  constructor(private readonly failures: number) {}
  async send(message: { deliveryKey?: string }) {
    this.calls++;
    if (this.calls <= this.failures) throw new Error(`gateway down (${this.calls})`);
    this.delivered.push(message.deliveryKey!);
  }
}

describe('notifications outbox', () => {
  it('every message is written with its event: the citizen’s SMS and the inspection head’s in-app message', async () => {
    const c = await file();
    const { rows } = await h.db.pool.query(
      `SELECT template, channel, recipient_address, recipient_user_id, sms_parts, status FROM outbox WHERE complaint_id = $1 ORDER BY id`,
      [c.id],
    );
    expect(rows).toEqual([
      { template: 'citizen_received', channel: 'sms', recipient_address: c.phone, recipient_user_id: null, sms_parts: expect.any(Number), status: 'pending' },
      { template: 'staff_new_referral', channel: 'web', recipient_address: null, recipient_user_id: head.id, sms_parts: null, status: 'pending' },
    ]);
    expect(rows[0].sms_parts).toBeGreaterThanOrEqual(2); // Persian text with a tracking code: UCS-2, more than 70 characters
  });

  it('delivers SMS through the provider and staff messages to the web inbox, once', async () => {
    const c = await file();
    const sms = new MemoryProvider();
    const providers = { sms, web: new WebInboxProvider(h.db.pool) };
    await drain(providers, 2);
    expect(sms.sent.filter((m) => m.to === c.phone).map((m) => m.kind)).toEqual(['citizen_received']);
    expect(sms.lastTo(c.phone)!.text).toContain('کد رهگیری');
    const inbox = await h.app.inject({ url: '/api/v1/notifications', headers: head.headers });
    expect(inbox.json().items.filter((n: { complaintId: string }) => n.complaintId === c.id)).toHaveLength(1);
    const status = await h.db.pool.query(`SELECT DISTINCT status FROM outbox WHERE complaint_id = $1`, [c.id]);
    expect(status.rows).toEqual([{ status: 'sent' }]);
    await drain(providers, 2);
    expect(sms.sent.filter((m) => m.to === c.phone)).toHaveLength(1);
    const read = await h.app.inject({ method: 'POST', url: `/api/v1/notifications/${inbox.json().items[0].id}/read`, headers: head.headers });
    expect(read.statusCode).toBe(204);
  });

  it('retries a provider that fails twice, with growing delays, then delivers', async () => {
    await h.db.pool.query(`UPDATE outbox SET status = 'sent' WHERE status <> 'sent'`);
    const c = await file();
    const flaky = new FlakyProvider(2);
    await dispatchOnce(h.db, { providers: { sms: flaky }, baseDelayMs: 60_000 });
    const first = (
      await h.db.pool.query(`SELECT status, attempts, last_error, next_attempt_at - now() AS wait FROM outbox WHERE complaint_id = $1 AND channel = 'sms'`, [
        c.id,
      ])
    ).rows[0];
    expect(first).toMatchObject({ status: 'pending', attempts: 1, last_error: 'gateway down (1)' });
    await drain({ sms: flaky }, 5);
    const done = (await h.db.pool.query(`SELECT status, attempts FROM outbox WHERE complaint_id = $1 AND channel = 'sms'`, [c.id])).rows[0];
    expect(done).toEqual({ status: 'sent', attempts: 3 });
    expect(flaky.delivered).toHaveLength(1);
  });

  it('dead-letters a message whose provider always fails', async () => {
    await h.db.pool.query(`UPDATE outbox SET status = 'sent' WHERE status <> 'sent'`);
    const c = await file();
    const broken = new FlakyProvider(Number.POSITIVE_INFINITY);
    await drain({ sms: broken }, 10, { maxAttempts: 4 });
    const row = (await h.db.pool.query(`SELECT status, attempts, last_error FROM outbox WHERE complaint_id = $1 AND channel = 'sms'`, [c.id])).rows[0];
    expect(row).toMatchObject({ status: 'dead', attempts: 4 });
    expect(broken.calls).toBe(4);
  });

  it('a crash between sending and marking loses nothing and, with an idempotent provider, sends nothing twice', async () => {
    await h.db.pool.query(`UPDATE outbox SET status = 'sent' WHERE status <> 'sent'`);
    const c = await file();
    const sms = new MemoryProvider();
    const crash = () => {
      throw Object.assign(new Error('process died'), { crash: true });
    };
    await expect(dispatchOnce(h.db, { providers: { sms }, afterSend: crash })).rejects.toThrow('process died');
    const stuck = (await h.db.pool.query(`SELECT status FROM outbox WHERE complaint_id = $1 AND channel = 'sms'`, [c.id])).rows[0];
    expect(stuck.status).toBe('sending');
    // Another instance cannot take it while the lease holds…
    await dispatchOnce(h.db, { providers: { sms } });
    expect((await h.db.pool.query(`SELECT status FROM outbox WHERE complaint_id = $1 AND channel = 'sms'`, [c.id])).rows[0].status).toBe('sending');
    // …and takes it over when the lease has run out.
    await h.db.pool.query(`UPDATE outbox SET claimed_until = now() - interval '1 second' WHERE complaint_id = $1`, [c.id]);
    await dispatchOnce(h.db, { providers: { sms } });
    expect((await h.db.pool.query(`SELECT status FROM outbox WHERE complaint_id = $1 AND channel = 'sms'`, [c.id])).rows[0].status).toBe('sent');
    expect(sms.sent.filter((m) => m.to === c.phone)).toHaveLength(1);
  });

  it('the HTTP SMS gateway gets the delivery key as Idempotency-Key and is retried on 5xx', async () => {
    await h.db.pool.query(`UPDATE outbox SET status = 'sent' WHERE status <> 'sent'`);
    const seen: { key: string | undefined; body: { to: string; text: string } }[] = [];
    let calls = 0;
    const server: Server = createServer((req, res) => {
      let data = '';
      req.on('data', (chunk) => (data += chunk));
      req.on('end', () => {
        calls++;
        if (calls === 1) {
          res.writeHead(503).end();
          return;
        }
        seen.push({ key: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(data) });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `gw-${calls}` }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const c = await file();
      const gateway = new HttpSmsGateway(`http://127.0.0.1:${(server.address() as AddressInfo).port}/send`, 'secret-token');
      await drain({ sms: gateway }, 3);
      expect(calls).toBe(2);
      expect(seen[0]!.body.to).toBe(c.phone);
      expect(seen[0]!.key).toMatch(new RegExp(`^${c.id}:1:citizen_received:citizen$`));
      const row = (await h.db.pool.query(`SELECT status, provider_message_id FROM outbox WHERE complaint_id = $1 AND channel = 'sms'`, [c.id])).rows[0];
      expect(row).toEqual({ status: 'sent', provider_message_id: 'gw-2' });
    } finally {
      server.close();
    }
  });

  it('a citizen whose dissatisfaction reopens the case gets one SMS saying where it went and when to expect an answer', async () => {
    const body = complaintBody(tree.organisation.id, place.countyIds[0]!);
    const filed = (await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: body })).json() as { id: string; trackingCode: string };
    const phone = `+98${body.contact.phone.slice(1)}`;
    const leader = await staff(h.db, h.config, 'leader_county', { unit: tree.countyOffices[0] });
    const answered = await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${filed.id}/actions`,
      headers: leader.headers,
      payload: { action: 'answer', text: 'کارمند جایگزین مستقر شد و کار شما انجام شد.' },
    });
    expect(answered.statusCode).toBe(200);
    await h.app.inject({ method: 'POST', url: `/api/v1/track/${filed.trackingCode}/otp` });
    const otp = (h.sms.lastTo(phone)!.text.match(/[۰-۹]{6}/)?.[0] ?? '').replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));
    const token = (await h.app.inject({ method: 'POST', url: `/api/v1/track/${filed.trackingCode}/otp/verify`, payload: { otp } })).json().token;
    const rate = () =>
      h.app.inject({
        method: 'POST',
        url: `/api/v1/track/${filed.trackingCode}/rating`,
        headers: { authorization: `Bearer ${token}` },
        payload: { satisfied: false, comment: 'کار من هنوز انجام نشده است.' },
      });
    expect((await rate()).statusCode).toBe(200);
    expect((await rate()).statusCode).toBeGreaterThanOrEqual(400); // a second rating of the same answer changes nothing

    const { rows } = await h.db.pool.query(
      `SELECT o.channel, o.recipient_address, o.body FROM outbox o WHERE o.complaint_id = $1 AND o.template = 'citizen_reopened'`,
      [filed.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'sms', recipient_address: phone });
    const grouped = `\u200e${`${filed.trackingCode.slice(0, 4)} ${filed.trackingCode.slice(4, 8)} ${filed.trackingCode.slice(8)}`.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!)}`;
    expect(rows[0].body).toContain(grouped);
    expect(rows[0].body).toContain('دوباره باز شد');
    const unit = (await h.db.pool.query('SELECT u.name_fa FROM complaints c JOIN units u ON u.id = c.unit_id WHERE c.id = $1', [filed.id])).rows[0];
    expect(rows[0].body).toContain(`«${unit.name_fa}»`);
    expect(rows[0].body.replace(unit.name_fa, '')).not.toMatch(/[0-9]/); // Persian digits only, deadline included (the test unit's name has Latin ones)
  });

  it('backs off exponentially with jitter, capped at an hour', () => {
    expect(backoffMs(1, 5000, () => 0.5)).toBe(5000);
    expect(backoffMs(2, 5000, () => 0.5)).toBe(10000);
    expect(backoffMs(4, 5000, () => 0.5)).toBe(40000);
    expect(backoffMs(30, 5000, () => 0.5)).toBe(3_600_000);
    expect(backoffMs(1, 5000, () => 0)).toBe(4000);
    expect(backoffMs(1, 5000, () => 1)).toBe(6000);
  });
});
