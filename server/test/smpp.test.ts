import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeliveryReceipt, SmppEsme, SmppStatusError } from '../src/channels/smpp/esme.ts';
import { recordReceipt } from '../src/channels/smpp/receipts.ts';
import { SmscSimulator } from '../src/channels/smpp/simulator.ts';
import type { InboundResult, InboundSms } from '../src/channels/sms/inbound.ts';
import { normalizePersianText } from '../src/domain/persian-text.ts';
import { dispatchOnce } from '../src/notifications/dispatcher.ts';
import { smsParts } from '../src/notifications/templates.ts';
import { type Harness, startHarness } from './harness.ts';

const CREDENTIALS = { systemId: 'foad', password: 'secret12' };
const SENDER = '+989121234567';

let h: Harness;
let sim: SmscSimulator;
let esme: SmppEsme;
const handled: { sms: InboundSms; result: InboundResult }[] = [];
const receipts: DeliveryReceipt[] = [];

async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until `n` more inbound texts were handled after `from`. */
const handledAfter = (from: number, n = 1) => waitFor(() => handled.length >= from + n && handled.slice(from));

async function complaintsFrom(phone: string) {
  const { rows } = await h.db.pool.query<{ id: string; channel: string; description: string; tracking_code: string }>(
    `SELECT c.id, c.channel, c.description, c.tracking_code FROM complaints c JOIN complainant_contacts cc ON cc.complaint_id = c.id
     WHERE cc.phone = $1 ORDER BY c.created_at`,
    [phone],
  );
  return rows;
}

/** A long Persian complaint: about 180 UTF-16 units, three UCS-2 parts. */
const LONG_COMPLAINT =
  'سلام. سه ماه است که پروندهٔ پروانهٔ ساختمانی من در شهرداری منطقهٔ ۶ تهران بدون هیچ دلیلی متوقف مانده است. ' +
  'هر بار که مراجعه می‌کنم می‌گویند کارشناس نیست و فردا بیایید. لطفاً رسیدگی کنید.';

/** The suite's ESME: short timers, handled texts and receipts recorded for the assertions. */
async function startMainEsme(port: number): Promise<void> {
  esme = new SmppEsme({
    host: '127.0.0.1',
    port,
    ...CREDENTIALS,
    systemType: 'foad',
    sourceAddr: '128',
    db: h.db,
    publicUrl: h.config.publicUrl,
    onInbound: (sms, result) => handled.push({ sms, result }),
    onReceipt: (r) => {
      receipts.push(r);
    },
    enquireLinkMs: 100,
    responseTimeoutMs: 1000,
    reconnectInitialMs: 20,
    reconnectMaxMs: 200,
    sendTimeoutMs: 3000,
    throttleRetries: 3,
    throttleDelayMs: 10,
    reassemblyTimeoutMs: 2000,
  });
  esme.start();
  await esme.waitBound(3000);
}

beforeAll(async () => {
  h = await startHarness();
  sim = new SmscSimulator({ ...CREDENTIALS, receipts: true });
  const port = await sim.start();
  await startMainEsme(port);
});

afterAll(async () => {
  await esme?.close();
  await sim?.close();
  await h?.close();
});

describe('SMPP channel (ESME ⇄ simulated SMSC on 127.0.0.1)', () => {
  let trackingCode = '';
  let firstRef = 0;

  it('binds as a transceiver and keeps the link with enquire_link', async () => {
    expect(esme.bound).toBe(true);
    expect(sim.binds).toBe(1);
    await waitFor(() => sim.enquireLinks >= 2, 2000);
  });

  it('(a) joins a three-part Persian SMS and files one complaint', async () => {
    expect(LONG_COMPLAINT.length).toBeGreaterThan(134);
    expect(LONG_COMPLAINT.length).toBeLessThanOrEqual(201);
    const before = handled.length;
    firstRef = await sim.deliver(SENDER, LONG_COMPLAINT, { parts: 3 });
    const [first] = await handledAfter(before);
    expect(first!.result.kind).toBe('filed');
    expect(first!.sms.text).toBe(LONG_COMPLAINT);
    const rows = await complaintsFrom(SENDER);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'sms', description: normalizePersianText(LONG_COMPLAINT) });
    trackingCode = rows[0]!.tracking_code;
    expect(first!.result).toMatchObject({ trackingCode, replayed: false });
    // The "received" SMS waits in the outbox for the citizen.
    const outbox = await h.db.pool.query(`SELECT template FROM outbox WHERE complaint_id = $1 AND channel = 'sms'`, [rows[0]!.id]);
    expect(outbox.rows).toEqual([{ template: 'citizen_received' }]);
  });

  it('(b) the same three parts delivered again file nothing new', async () => {
    const before = handled.length;
    expect(await complaintsFrom(SENDER)).toHaveLength(1);
    // Redelivery with the same reference, parts out of order.
    const firstId = handled.at(-1)!.sms.messageId;
    await sim.deliver(SENDER, LONG_COMPLAINT, { parts: 3, ref: firstRef, only: [2, 3] });
    await sim.deliver(SENDER, LONG_COMPLAINT, { parts: 3, ref: firstRef, only: [1] });
    const [again] = await handledAfter(before);
    expect(again!.sms.messageId).toBe(firstId);
    expect(again!.result).toMatchObject({ kind: 'filed', trackingCode, replayed: true });
    expect(await complaintsFrom(SENDER)).toHaveLength(1);
  });

  it('(c) a tracking code (Persian digits, with a dash) gets a status reply in the outbox', async () => {
    const before = handled.length;
    const persian = trackingCode.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
    await sim.deliver(SENDER, `${persian.slice(0, 4)}-${persian.slice(4)}`);
    const [status] = await handledAfter(before);
    expect(status!.result).toMatchObject({ kind: 'status', trackingCode });
    const { rows } = await h.db.pool.query(`SELECT template, recipient_address, body FROM outbox WHERE delivery_key = $1`, [
      `smpp:${status!.sms.messageId}:status`,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ template: 'sms_reply', recipient_address: SENDER });
    expect(rows[0].body.length).toBeGreaterThan(5);
  });

  it('(d) the outbox goes out as UCS-2 submit_sm parts with a UDH, receipts requested', async () => {
    const [complaint] = await complaintsFrom(SENDER);
    const row = (await h.db.pool.query(`SELECT id, body, sms_parts FROM outbox WHERE complaint_id = $1 AND template = 'citizen_received'`, [complaint!.id]))
      .rows[0];
    const result = await dispatchOnce(h.db, { providers: { sms: esme } });
    expect(result).toMatchObject({ retried: 0, dead: 0 });
    expect(result.sent).toBeGreaterThanOrEqual(2); // the "received" SMS and the status reply
    const sent = sim.messages().find((m) => m.text === row.body);
    expect(sent, 'the citizen_received text reassembled at the SMSC').toBeDefined();
    const expected = smsParts(row.body);
    expect(expected.encoding).toBe('ucs2');
    expect(sent!.parts).toHaveLength(expected.parts);
    expect(sent!.parts.length).toBe(row.sms_parts);
    expect(sent!.destination).toBe(SENDER.slice(1));
    for (const [i, part] of sent!.parts.entries()) {
      expect(part).toMatchObject({ dataCoding: 8, registeredDelivery: 1, source: '128', destTon: 1 });
      if (expected.parts > 1) {
        expect(part.esmClass & 0x40).toBe(0x40);
        expect(part.concat).toMatchObject({ kind: 'udh8', total: expected.parts, seq: i + 1, ref: sent!.parts[0]!.concat!.ref });
        expect(part.text.length).toBeLessThanOrEqual(67);
      }
    }
    const stored = (await h.db.pool.query(`SELECT status, provider_message_id FROM outbox WHERE id = $1`, [row.id])).rows[0];
    expect(stored).toEqual({ status: 'sent', provider_message_id: sent!.parts.at(-1)!.messageId });
    // The SMSC's receipt for that last part comes back through onReceipt.
    const receipt = await waitFor(() => receipts.find((r) => r.messageId === stored.provider_message_id));
    expect(receipt).toMatchObject({ state: 'DELIVRD', error: '000', recipient: SENDER.slice(1) });
    // …and is kept on the outbox message.
    expect(await recordReceipt(h.db.pool, receipt)).toBe(true);
    const reported = (await h.db.pool.query(`SELECT delivery_state FROM outbox WHERE id = $1`, [row.id])).rows[0];
    expect(reported.delivery_state).toBe('DELIVRD');
    expect(await recordReceipt(h.db.pool, { ...receipt, messageId: 'unknown-id' })).toBe(false);
  });

  it('plain ASCII text goes as GSM (data_coding 0): one part up to 160, 153 per part beyond', async () => {
    const short = await esme.send({ to: '+989121111111', text: 'Your complaint 1234-5678-9012 was registered.', kind: 'test' });
    const long = 'A'.repeat(200);
    await esme.send({ to: '+989121111111', text: long, kind: 'test', deliveryKey: 'ascii-long' });
    const msgs = sim.messages().filter((m) => m.destination === '989121111111');
    expect(msgs.map((m) => m.text)).toEqual(['Your complaint 1234-5678-9012 was registered.', long]);
    expect(msgs[0]!.parts[0]).toMatchObject({ dataCoding: 0, esmClass: 0, concat: null, messageId: short.providerMessageId });
    expect(msgs[1]!.parts.map((p) => [p.dataCoding, p.text.length, p.concat?.total])).toEqual([
      [0, 153, 2],
      [0, 47, 2],
    ]);
  });

  it('(e) ESME_RTHROTTLED twice, then accepted; more throttling than retries throws for the outbox to retry', async () => {
    const before = sim.submits.length;
    sim.failNextSubmits(2, 0x58);
    const ok = await esme.send({ to: '+989122222222', text: 'پیام آزمایشی', kind: 'test' });
    const tries = sim.submits.slice(before);
    expect(tries.map((s) => s.status)).toEqual([0x58, 0x58, 0]);
    expect(ok.providerMessageId).toBe(tries[2]!.messageId);

    sim.failNextSubmits(10, 0x14); // ESME_RMSGQFUL
    const error = await esme.send({ to: '+989122222222', text: 'پیام دوم', kind: 'test' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmppStatusError);
    expect((error as SmppStatusError).status).toBe(0x14);
    expect(sim.submits.slice(before + 3)).toHaveLength(4); // the first try and three retries
    sim.failNextSubmits(1, 0x0b); // ESME_RINVDSTADR: no retry
    await expect(esme.send({ to: '+989122222222', text: 'پیام سوم', kind: 'test' })).rejects.toThrow(/ESME_RINVDSTADR/);
    sim.failNextSubmits(0);
  });

  it('(f) a dropped link between parts loses nothing, inbound or outbound', async () => {
    const sender = '+989351234567';
    const text = `${LONG_COMPLAINT} (دوباره)`;
    const before = handled.length;
    const binds = sim.binds;
    await sim.deliver(sender, text, { parts: 3, ref: 77, only: [1] });
    // The SMSC goes away for a while; an outbound message is sent meanwhile.
    sim.dropConnections(150);
    await waitFor(() => !esme.bound, 1000);
    const outage = 'در زمان قطع ارتباط فرستاده شد؛ باید پس از وصل دوباره برسد. '.repeat(2);
    const pending = esme.send({ to: sender, text: outage, kind: 'test', deliveryKey: 'outage-1' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sim.messages().some((m) => m.text === outage)).toBe(false);
    // The ESME reconnects with backoff; the rest of the set comes after the reconnection.
    await esme.waitBound(3000);
    expect(sim.binds).toBeGreaterThan(binds);
    const receipt = await pending;
    const sent = sim.messages().find((m) => m.text === outage);
    expect(sent!.parts.at(-1)!.messageId).toBe(receipt.providerMessageId);
    expect(handled.length).toBe(before); // still waiting for parts 2 and 3
    await sim.deliver(sender, text, { parts: 3, ref: 77, only: [2, 3] });
    const [filed] = await handledAfter(before);
    expect(filed!.sms.text).toBe(text);
    expect(filed!.result.kind).toBe('filed');
    const rows = await complaintsFrom(sender);
    expect(rows.map((r) => r.description)).toEqual([normalizePersianText(text)]);
    // And a new message after the reconnection is handled as usual.
    await sim.deliver(sender, 'سلام');
    const [help] = await handledAfter(before + 1);
    expect(help!.result.kind).toBe('help');
  });

  it('a process that dies with a long text half-received loses nothing: the stored parts are completed after the restart', async () => {
    const sender = '+989371234567';
    const text = `${LONG_COMPLAINT} ۲`;
    const options = {
      host: '127.0.0.1',
      port: sim.port,
      ...CREDENTIALS,
      sourceAddr: '128',
      db: h.db,
      publicUrl: h.config.publicUrl,
      reconnectInitialMs: 20,
      reassemblyTimeoutMs: 60_000,
    };
    const storedParts = async () => (await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM sms_inbound_parts')).rows[0]!.n;
    await esme.close(); // one bind at a time, like one server process
    const first = new SmppEsme(options);
    let second: SmppEsme | null = null;
    try {
      first.start();
      await first.waitBound(3000);
      await sim.deliver(sender, text, { parts: 3, ref: 91, only: [1, 2] });
      await waitFor(async () => (await storedParts()) === 2);
      await first.close(); // the process "dies": parts 1 and 2 were acknowledged and are only in the database
      second = new SmppEsme(options);
      second.start();
      await second.waitBound(3000);
      await sim.deliver(sender, text, { parts: 3, ref: 91, only: [3] });
      const rows = await waitFor(async () => {
        const r = await complaintsFrom(sender);
        return r.length > 0 ? r : null;
      });
      expect(rows.map((r) => r.description)).toEqual([normalizePersianText(text)]);
      await waitFor(async () => (await storedParts()) === 0);
    } finally {
      await first.close();
      await second?.close();
      await startMainEsme(sim.port);
    }
  });

  it('a part left unanswered when the link drops is sent again after the reconnection; accepted parts are not', async () => {
    const to = '+989131234567';
    const text = 'این پیام سه بخشی است و بخش دومش درست هنگام قطع ارتباط فرستاده می‌شود؛ پس از وصل دوباره، همان بخش دوباره فرستاده می‌شود و پیام کامل می‌رسد.';
    expect(smsParts(text).parts).toBe(3);
    const before = sim.submits.length;
    // Part 1 is accepted, part 2 goes unanswered as the link drops.
    sim.dropOnNextSubmits(1, { after: 1, refuseMs: 100 });
    const receipt = await esme.send({ to, text, kind: 'test', deliveryKey: 'drop-mid-send' });
    const tries = sim.submits.slice(before).filter((s) => s.destination === to.slice(1));
    expect(tries.map((s) => [s.concat?.seq, s.status])).toEqual([
      [1, 0],
      [2, -1],
      [2, 0],
      [3, 0],
    ]);
    expect(new Set(tries.map((s) => s.concat?.ref)).size).toBe(1);
    const joined = sim.messages().find((m) => m.destination === to.slice(1));
    expect(joined?.text).toBe(text);
    expect(receipt.providerMessageId).toBe(tries.at(-1)!.messageId);
  });

  it('send() gives up when the link does not come back in time', async () => {
    const quick = new SmppEsme({
      host: '127.0.0.1',
      port: sim.port,
      systemId: 'foad',
      password: 'wrong-password',
      sourceAddr: '128',
      db: h.db,
      publicUrl: h.config.publicUrl,
      reconnectInitialMs: 20,
      reconnectMaxMs: 50,
      sendTimeoutMs: 200,
    });
    quick.start();
    try {
      await expect(quick.send({ to: SENDER, text: 'x', kind: 'test' })).rejects.toThrow(/no SMPP connection/);
    } finally {
      await quick.close();
    }
  });

  it('an incomplete set is handled after the reassembly timeout, marked as incomplete', async () => {
    const sender = '+989191234567';
    const before = handled.length;
    await sim.deliver(sender, LONG_COMPLAINT, { parts: 3, ref: 200, only: [1, 3] });
    const [partial] = await handledAfter(before, 1);
    expect(partial!.sms.messageId).toContain('partial');
    expect(partial!.sms.text).toContain(' … ');
    expect(partial!.result.kind).toBe('filed');
  });
});
