import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setInspectionHead } from '../src/agencies/store.ts';
import { type ComplaintBot, createComplaintBot } from '../src/channels/bots/bot.ts';
import { botProvider } from '../src/channels/bots/provider.ts';
import { dispatchOnce } from '../src/notifications/dispatcher.ts';
import { WebInboxProvider } from '../src/notifications/provider.ts';
import { buildTree, type Place, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type FakeBot, type FakeBotApi, startFakeBotApi } from './fake-bot-api.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * Staff alerts by messenger (docs/staff-alerts.md): a staff member links their Telegram or Bale
 * chat with the one-time code from the alerts page, over the real Bot API protocol (a local fake
 * Bot API, the bots long-polling it); enforcement notices then reach the manager an action names
 * and their unit's inspection head in those chats through the outbox and the dispatcher, held
 * through quiet hours.
 */
let h: Harness;
let place: Place;
let tree: Tree;
let fake: FakeBotApi;
let tg: FakeBot;
let bl: FakeBot;
let supervisor: StaffFixture;
let head: StaffFixture;
let newHead: StaffFixture;
// The bots' clock: real time plus an offset a test moves (the codes' expiry is set by the API's real clock).
let offsetMs = 0;
const botClock = { now: () => new Date(Date.now() + offsetMs) };
const bots: ComplaintBot[] = [];
const errors: unknown[] = [];
const HEAD_CHAT = 5_550_001;
const NEW_HEAD_CHAT = 5_550_002;
const STRANGER_CHAT = 5_550_009;

beforeAll(async () => {
  h = await startHarness({ TELEGRAM_BOT_TOKEN: '111111:alerts-token', TELEGRAM_BOT_USERNAME: 'foad128_bot' });
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place, 'سازمان اعلان‌های کاری');
  supervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: place.provinceId });
  head = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[0] }, { inspectionHead: true });
  newHead = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[1] });
  await h.db.pool.query(`UPDATE staff_users SET display_name = 'رضا مدیری' WHERE id = $1`, [head.id]);
  fake = await startFakeBotApi();
  tg = fake.addBot('111111:alerts-token');
  bl = fake.addBot('222222:alerts-token', { prefix: '/bale' });
  for (const [channel, fb] of [
    ['telegram', tg],
    ['bale', bl],
  ] as const) {
    const bot = createComplaintBot({
      db: h.db,
      settings: { publicUrl: 'http://127.0.0.1:8128', clock: botClock, secret: h.config.secret },
      token: fb.token,
      apiRoot: fb.apiRoot,
      channel,
      onError: (error) => errors.push(error),
    });
    bots.push(bot);
    await bot.startPolling({ timeoutSeconds: 5 });
  }
}, 120_000);

afterAll(async () => {
  for (const bot of bots) await bot.stop();
  await fake?.close();
  await h?.close();
});

const linkCode = async (who: StaffFixture) => {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/notifications/link-code', headers: who.headers });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { code: string; expiresAt: string; links: { channel: string; url: string }[] };
};
const settings = async (who: StaffFixture) => (await h.app.inject({ url: '/api/v1/notifications/settings', headers: who.headers })).json();
const sentTexts = (calls: { method: string; params: Record<string, unknown> }[]) =>
  calls.filter((c) => c.method === 'sendMessage').map((c) => String(c.params.text));
const providers = () => ({ web: new WebInboxProvider(h.db.pool), telegram: botProvider(bots[0]!), bale: botProvider(bots[1]!) });

describe('linking a messenger chat with a one-time code', () => {
  it('the deep link’s /start <code> links the chat, confirms in Persian, and works once', async () => {
    const { code, expiresAt, links } = await linkCode(head);
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now() + 10 * 60_000);
    expect(links).toEqual([{ channel: 'telegram', url: `https://t.me/foad128_bot?start=${code}` }]);
    // At rest only a keyed hash.
    const stored = await h.db.pool.query('SELECT code_hash FROM staff_chat_link_codes WHERE user_id = $1', [head.id]);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].code_hash).not.toContain(code);

    const calls = await tg.userSendsText(HEAD_CHAT, `/start ${code}`);
    expect(sentTexts(calls)).toEqual([expect.stringContaining('پیوند خورد')]);
    expect(await settings(head)).toMatchObject({ channel: 'telegram', address: String(HEAD_CHAT) });

    // Once: another chat sending the same code is told it does not work, and nothing changes.
    const again = await tg.userSendsText(STRANGER_CHAT, `/start ${code}`);
    expect(sentTexts(again)).toEqual([expect.stringContaining('درست نیست')]);
    expect(await settings(head)).toMatchObject({ channel: 'telegram', address: String(HEAD_CHAT) });
  });

  it('an anonymous caller gets no code and nothing is written', async () => {
    const before = await h.db.pool.query('SELECT count(*)::int AS n FROM staff_chat_link_codes');
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/notifications/link-code' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBeTypeOf('string');
    const after = await h.db.pool.query('SELECT count(*)::int AS n FROM staff_chat_link_codes');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('a wrong or expired code does nothing and says so; the code typed alone works on Bale', async () => {
    await h.app.inject({
      method: 'PUT',
      url: '/api/v1/notifications/settings',
      headers: newHead.headers,
      payload: { channel: 'web', address: null, quietStart: '22:00', quietEnd: '07:00', urgentOverrides: true },
    });
    const first = await linkCode(newHead);
    // A new code replaces the old one: one code per person.
    const { code } = await linkCode(newHead);
    expect(sentTexts(await bl.userSendsText(NEW_HEAD_CHAT, first.code))).toEqual([expect.stringContaining('درست نیست')]);
    expect(sentTexts(await bl.userSendsText(NEW_HEAD_CHAT, 'ABCD2345'))).toEqual([expect.stringContaining('درست نیست')]);
    // Expired: the bot's clock 16 minutes on.
    offsetMs = 16 * 60_000;
    expect(sentTexts(await bl.userSendsText(NEW_HEAD_CHAT, code))).toEqual([expect.stringContaining('درست نیست')]);
    offsetMs = 0;
    expect(await settings(newHead)).toMatchObject({ channel: 'web', address: null });

    // A fresh code typed by hand, in lower case with a space: linked on Bale, quiet hours kept.
    const fresh = await linkCode(newHead);
    const typed = `${fresh.code.slice(0, 4).toLowerCase()} ${fresh.code.slice(4)}`;
    expect(sentTexts(await bl.userSendsText(NEW_HEAD_CHAT, typed))).toEqual([expect.stringContaining('گفتگوی بله')]);
    expect(await settings(newHead)).toEqual({ channel: 'bale', address: String(NEW_HEAD_CHAT), quietStart: '22:00', quietEnd: '07:00', urgentOverrides: true });
    expect(errors).toEqual([]);
  });
});

describe('enforcement notices as staff alerts', () => {
  let actionId: number;

  it('a proposed action reaches the manager it names in their linked chat through the outbox', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/enforcement/actions',
      headers: supervisor.headers,
      payload: { unitId: tree.countyOffices[0].id, kind: 'warning', reason: 'بازدید سرزده: باجه‌ها بی‌پاسخ بودند' },
    });
    expect(res.statusCode, res.body).toBe(201);
    actionId = res.json().id;
    const round = await dispatchOnce(h.db, { providers: providers() });
    const inChat = tg.chatMessages(HEAD_CHAT).map((m) => m.text);
    const rows = await h.db.pool.query(`SELECT channel, status, last_error FROM outbox WHERE template = 'enforcement_notice' AND recipient_user_id = $1`, [
      head.id,
    ]);
    expect(inChat.at(-1), JSON.stringify({ round, rows: rows.rows })).toContain(`«تذکر» دربارهٔ عملکرد «${tree.countyOffices[0].nameFa}»`);
    // The in-app message stays beside it.
    const inbox = (await h.app.inject({ url: '/api/v1/notifications', headers: head.headers })).json();
    expect(inbox.items.map((i: { template: string }) => i.template)).toContain('enforcement_notice');
  });

  it('the decision goes to the manager and, held through quiet hours, to the unit’s inspection head now', async () => {
    // The unit has a new inspection head, whose alerts go to Bale with quiet hours around now.
    await setInspectionHead(h.db.pool, tree.countyOffices[0].id, newHead.id, h.config.clock.now());
    const tehran = (minutes: number) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tehran', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
        new Date(Date.now() + minutes * 60_000),
      );
    const quiet = { channel: 'bale', address: String(NEW_HEAD_CHAT), quietStart: tehran(-60), quietEnd: tehran(120), urgentOverrides: true };
    expect((await h.app.inject({ method: 'PUT', url: '/api/v1/notifications/settings', headers: newHead.headers, payload: quiet })).statusCode).toBe(200);

    const reply = await h.app.inject({
      method: 'POST',
      url: `/api/v1/enforcement/actions/${actionId}/reply`,
      headers: head.headers,
      payload: { text: 'کمبود نیرو داشتیم و جبران شد.' },
    });
    expect(reply.statusCode, reply.body).toBe(200);
    const decided = await h.app.inject({
      method: 'POST',
      url: `/api/v1/enforcement/actions/${actionId}/decision`,
      headers: supervisor.headers,
      payload: { decision: 'confirm', reason: 'گزارش بازدید و پاسخ مدیر بررسی شد', evidenceUrl: 'https://example.org/inspection/1' },
    });
    expect(decided.statusCode, decided.body).toBe(200);

    const baleBefore = bl.chatMessages(NEW_HEAD_CHAT).length;
    await dispatchOnce(h.db, { providers: providers() });
    // The manager (no quiet hours) has it at once.
    expect(tg.chatMessages(HEAD_CHAT).at(-1)?.text).toContain(`«تذکر» شمارهٔ ${actionId} تأیید و در پروندهٔ شما ثبت شد`);
    // The head's copy waits for the end of their quiet hours, then goes.
    expect(bl.chatMessages(NEW_HEAD_CHAT)).toHaveLength(baleBefore);
    const held = await h.db.pool.query<{ at: Date; status: string }>(
      `SELECT next_attempt_at AS at, status FROM outbox WHERE template = 'enforcement_decision' AND recipient_user_id = $1 AND channel = 'bale'`,
      [newHead.id],
    );
    expect(held.rows).toHaveLength(1);
    expect(held.rows[0]!.status).toBe('pending');
    expect(held.rows[0]!.at.getTime()).toBeGreaterThan(Date.now() + 60 * 60_000);
    await dispatchOnce(h.db, { providers: providers(), now: held.rows[0]!.at });
    expect(bl.chatMessages(NEW_HEAD_CHAT).at(-1)?.text).toBe(
      `«تذکر» شمارهٔ ${actionId} برای رضا مدیری دربارهٔ عملکرد «${tree.countyOffices[0].nameFa}» تأیید و در پرونده ثبت شد.`,
    );
    expect(errors).toEqual([]);
  });
});
