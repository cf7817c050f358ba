import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exifr from 'exifr';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDiskStorage } from '../src/attachments/storage.ts';
import { type BotChannel, type ComplaintBot, createComplaintBot } from '../src/channels/bots/bot.ts';
import { botProvider } from '../src/channels/bots/provider.ts';
import { botWebhookRoutes, SECRET_HEADER } from '../src/channels/bots/webhook.ts';
import { systemClock } from '../src/core/clock.ts';
import { toAsciiDigits, toPersianDigits } from '../src/domain/persian-text.ts';
import { dispatchOnce } from '../src/notifications/dispatcher.ts';
import { opusVoiceNote, phonePhotoWithGps } from './attachment-fixtures.ts';
import { buildTree, type Place, places, type Tree, urgentCategory } from './factories.ts';
import { type FakeBot, type FakeBotApi, startFakeBotApi } from './fake-bot-api.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
let place: Place;
let tree: Tree;
let fake: FakeBotApi;
let names: { province: string; county: string; category: string };
const errors: unknown[] = [];
const bots: ComplaintBot[] = [];
const filesDir = mkdtempSync(join(tmpdir(), 'foad-bot-files-'));
const fileStorage = new LocalDiskStorage(filesDir);

function startBot(channel: BotChannel, fakeBot: FakeBot, caseJoinHours = 0): ComplaintBot {
  const bot = createComplaintBot({
    db: h.db,
    settings: { publicUrl: 'http://127.0.0.1:8128', caseJoinHours },
    token: fakeBot.token,
    apiRoot: fakeBot.apiRoot,
    channel,
    attachments: { storage: fileStorage, maxBytes: { image: 1024 * 1024, video: 1024 * 1024, voice: 1024 * 1024 }, perComplaint: 10, clock: systemClock },
    onError: (error) => errors.push(error),
  });
  bots.push(bot);
  return bot;
}

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place, 'سازمان رسیدگی ربات');
  const category = await urgentCategory(h.db.pool);
  const row = (
    await h.db.pool.query<{ province: string; county: string; category: string }>(
      `SELECT p.name_fa AS province, c.name_fa AS county, k.name_fa AS category
       FROM provinces p, counties c, categories k WHERE p.id = $1 AND c.id = $2 AND k.id = $3`,
      [place.provinceId, place.countyIds[0], category.id],
    )
  ).rows[0]!;
  names = row;
  fake = await startFakeBotApi();
});

afterAll(async () => {
  for (const bot of bots) await bot.stop();
  await fake?.close();
  await h?.close();
  rmSync(filesDir, { recursive: true, force: true });
});

/** The text of every sendMessage/edit in these calls. */
function texts(calls: { method: string; params: Record<string, unknown> }[]): string[] {
  return calls.filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText').map((c) => String(c.params.text));
}

/** Presses the inline button labelled exactly `label`, turning pages until it shows. */
async function pick(bot: FakeBot, chatId: number, label: string, deliver: (u: Update) => Promise<unknown>): Promise<void> {
  for (let page = 0; page < 20; page++) {
    const button = bot.buttons(chatId).find((b) => b.text === label || b.text === `🔴 ${label}`);
    if (button && 'callback_data' in button) return void (await deliver(bot.build.press(chatId, button.callback_data)));
    const next = bot.buttons(chatId).find((b) => b.text.includes('بعدی'));
    if (!next || !('callback_data' in next)) throw new Error(`no «${label}» among ${bot.buttons(chatId).map((b) => b.text)}`);
    await deliver(bot.build.press(chatId, next.callback_data));
  }
}

/** Presses the «رد شدن» (skip) button of the named-employee question. */
async function skipEmployee(bot: FakeBot, chatId: number, deliver: (u: Update) => Promise<unknown>): Promise<void> {
  const skip = bot.buttons(chatId).find((b) => b.text.includes('رد شدن'));
  if (!skip || !('callback_data' in skip)) throw new Error('no skip button');
  await deliver(bot.build.press(chatId, skip.callback_data));
}

/**
 * Walks a citizen through the whole conversation up to the summary; returns the confirming update
 * (not yet sent). Without `namedEmployee` the citizen skips that question.
 */
async function walk(
  bot: FakeBot,
  chatId: number,
  deliver: (u: Update) => Promise<unknown>,
  phone = '989121234567',
  files: string[] = [],
  namedEmployee?: string,
): Promise<Update> {
  await deliver(bot.build.text(chatId, '/start'));
  // Part of the agency's name, with its digits typed in Persian.
  await deliver(bot.build.text(chatId, toPersianDigits(tree.organisation.nameFa.split(' ').slice(-2).join(' '))));
  await pick(bot, chatId, tree.organisation.nameFa, deliver);
  await pick(bot, chatId, names.province, deliver);
  await pick(bot, chatId, names.county, deliver);
  await pick(bot, chatId, names.category, deliver);
  for (const fileId of files) await deliver(bot.build.photo(chatId, fileId));
  await deliver(bot.build.text(chatId, 'کارمند باجهٔ شمارهٔ ۲ از ساعت ۹ صبح پشت میز نیست و کسی جای او نیست.'));
  if (namedEmployee === undefined) await skipEmployee(bot, chatId, deliver);
  else await deliver(bot.build.text(chatId, namedEmployee));
  await deliver(bot.build.text(chatId, 'بدون موقعیت'));
  await deliver(bot.build.contact(chatId, phone, chatId));
  const ok = bot.buttons(chatId).find((b) => b.text.includes('تأیید'));
  if (!ok || !('callback_data' in ok)) throw new Error('no confirm button');
  return bot.build.press(chatId, ok.callback_data);
}

function trackingCodeIn(text: string): string {
  // Grouped 4-4-4 in Persian digits behind a left-to-right mark (domain/tracking-code.ts).
  const grouped = /\u200e([۰-۹]{4}) ([۰-۹]{4}) ([۰-۹]{4})/.exec(text);
  if (!grouped) throw new Error(`no tracking code in: ${text}`);
  return toAsciiDigits(grouped.slice(1).join(''));
}

/** How many receipts (the filing message with this code) the chat got. */
function receiptsIn(bot: FakeBot, chatId: number, code: string): number {
  return bot.chatMessages(chatId).filter((m) => m.text.includes('ثبت شد') && m.text.includes('کد رهگیری') && trackingCodeIn(m.text) === code).length;
}

async function complaintsOfChat(channel: string, chatId: number) {
  const { rows } = await h.db.pool.query(
    `SELECT tracking_code, channel, reply_channel, reply_address, unit_id, agency_id, county_id, category_id, urgent, description,
            location_lat, status, named_employee, named_employee_text FROM complaints WHERE reply_channel = $1 AND reply_address = $2`,
    [channel, String(chatId)],
  );
  return rows;
}

describe('Telegram bot, long polling against a fake Bot API', () => {
  let tg: FakeBot;
  let telegram: ComplaintBot;
  const chatId = 5_550_001;
  let code: string;

  beforeAll(async () => {
    tg = fake.addBot('111111:telegram-test-token');
    telegram = startBot('telegram', tg);
    await telegram.startPolling({ timeoutSeconds: 5 });
  });

  it('a citizen walks the conversation in Persian and gets a tracking code', async () => {
    const start = await tg.userSendsText(chatId, '/start');
    expect(texts(start).join('\n')).toContain('سامانهٔ ۱۲۸');
    expect(texts(start).at(-1)).toContain('از کدام دستگاه');

    // The agency: typed in part (Persian digits), offered as buttons of top-level agencies only.
    const search = await tg.userSendsText(chatId, toPersianDigits(tree.organisation.nameFa.split(' ').slice(-2).join(' ')));
    expect(texts(search)).toEqual(['دستگاه موردنظر را برگزینید:']);
    expect(tg.buttons(chatId).map((b) => b.text)).toEqual([tree.organisation.nameFa]);
    await tg.userPressesLabel(chatId, tree.organisation.nameFa);
    expect(tg.chatMessages(chatId).at(-2)!.text).toBe(`دستگاه: ${tree.organisation.nameFa}`);

    // Province and county: paged inline keyboards.
    expect(tg.lastMessage(chatId)!.text).toContain('استان');
    await pick(tg, chatId, names.province, (u) => tg.push(u));
    expect(tg.lastMessage(chatId)!.text).toContain(`شهرستان را در استان ${names.province}`);
    await pick(tg, chatId, names.county, (u) => tg.push(u));

    // The category: the urgent ones are marked and named.
    const categoryPrompt = tg.lastMessage(chatId)!;
    expect(categoryPrompt.text).toContain('فوری');
    expect(categoryPrompt.text).toContain(names.category);
    expect(tg.buttons(chatId).some((b) => b.text === `🔴 ${names.category}`)).toBe(true);
    await pick(tg, chatId, names.category, (u) => tg.push(u));
    expect(tg.lastMessage(chatId)!.text).toContain('شرح شکایت');

    // The description: too short is refused; a photo (with the phone's GPS position in it) is noted, to be fetched once filed.
    expect(texts(await tg.userSendsText(chatId, 'خیلی بد بود'))).toEqual([expect.stringContaining('کوتاه')]);
    tg.files.set('AgACAgQAAxkBAAIBphoto', await phonePhotoWithGps());
    const photo = await tg.userSendsPhoto(chatId, 'AgACAgQAAxkBAAIBphoto');
    expect(texts(photo)[0]).toContain('پیوست دریافت شد');
    const described = await tg.userSendsText(chatId, 'کارمند باجهٔ شمارهٔ ۲ از ساعت ۹ صبح پشت میز نیست و کسی جای او نیست.');

    // The employee: optional (a skip button), said to be seen by inspectors only; a title alone is refused with intake's own words.
    const employeeAsk = texts(described).at(-1)!;
    expect(employeeAsk).toContain('نام یا سمت کارمند');
    expect(employeeAsk).toContain('اختیاری');
    expect(employeeAsk).toContain('فقط بازرسان');
    expect(tg.buttons(chatId).map((b) => b.text)).toEqual(['⏭ رد شدن']);
    expect(texts(await tg.userSendsText(chatId, 'آقای'))).toEqual([expect.stringContaining('نام یا سمت کارمند درست نیست')]);
    const named = await tg.userSendsText(chatId, 'آقاي رضائي');
    const locationAsk = named.find((c) => c.method === 'sendMessage')!;
    expect(JSON.stringify(locationAsk.params.reply_markup)).toContain('"request_location":true');

    // Location, then the phone: only the citizen's own contact.
    const located = await tg.userSendsLocation(chatId, 35.6997, 51.338);
    expect(JSON.stringify(located[0]!.params.reply_markup)).toContain('"request_contact":true');
    expect(texts(await tg.userSharesContact(chatId, '989350000000', 42))).toEqual([expect.stringContaining('فقط شمارهٔ خودتان')]);
    expect(texts(await tg.userSendsText(chatId, '09121234567'))).toEqual([expect.stringContaining('فقط با دکمه')]);
    const contact = await tg.userSharesContact(chatId, '989121234567');
    const summary = texts(contact).at(-1)!;
    expect(summary).toContain('خلاصهٔ شکایت');
    expect(summary).toContain(tree.organisation.nameFa);
    expect(summary).toContain(`${names.province} / ${names.county}`);
    expect(summary).toContain('۰۹۱۲۱۲۳۴۵۶۷');
    expect(summary).toContain('کارمند نام‌برده: آقای رضائی');
    // Identity consent is off until the citizen turns it on (consent-step.ts).
    expect(summary).toContain('نام و شمارهٔ شما به دستگاه مورد شکایت داده نمی‌شود');
    expect(tg.buttons(chatId).map((b) => b.text)).toEqual(['✅ تأیید', '✖️ لغو', '👤 رضایت می‌دهم نام و شماره‌ام به دستگاه داده شود']);

    // Confirm: the session row as it was before, to replay a crash after filing below.
    const confirm = tg.build.press(chatId, (tg.buttons(chatId)[0] as { callback_data: string }).callback_data);
    const filed = await tg.push(confirm);
    const reply = texts(filed).find((t) => t.includes('شکایت شما در سامانهٔ ۱۲۸ ثبت شد'))!;
    expect(reply).toBeDefined();
    // The photo was fetched from the Bot API (getFile, then the download) and stored, cleaned.
    expect(filed.map((c) => c.method)).toContain('getFile');
    expect(texts(filed).at(-1)).toContain('۱ پیوست همراه شکایت نگهداری شد');
    code = trackingCodeIn(reply);
    expect(reply).toContain(`ارجاع به: ${tree.countyOffices[0].nameFa}`);

    const rows = await complaintsOfChat('telegram', chatId);
    expect(rows).toEqual([
      expect.objectContaining({
        tracking_code: code,
        channel: 'telegram',
        reply_channel: 'telegram',
        reply_address: String(chatId),
        agency_id: tree.organisation.id,
        unit_id: tree.countyOffices[0].id,
        county_id: place.countyIds[0],
        urgent: true,
        location_lat: 35.6997,
        status: 'referred',
      }),
    ]);
    expect(rows[0].description).toContain('پشت میز نیست');
    expect(rows[0]).toMatchObject({ named_employee: 'رضایی', named_employee_text: 'آقای رضائی' });
    expect(rows[0].description).not.toContain('AgACAgQAAxkBAAIBphoto');
    const stored = await h.db.pool.query(
      `SELECT a.kind, a.source, a.source_ref, a.storage_key, a.thumbnail_key FROM attachments a JOIN complaints c ON c.id = a.complaint_id
       WHERE c.tracking_code = $1`,
      [code],
    );
    expect(stored.rows).toEqual([expect.objectContaining({ kind: 'image', source: 'telegram', source_ref: 'AgACAgQAAxkBAAIBphoto' })]);
    const bytes = readFileSync(join(filesDir, stored.rows[0].storage_key));
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(await exifr.parse(bytes)).toBeUndefined();
    expect(readFileSync(join(filesDir, stored.rows[0].thumbnail_key)).length).toBeGreaterThan(0);
    const chain = await h.db.pool.query(
      `SELECT e.type, e.actor_kind FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE c.tracking_code = $1 AND e.type = 'attachment_added'`,
      [code],
    );
    expect(chain.rows).toEqual([{ type: 'attachment_added', actor_kind: 'citizen' }]);
    const contactRow = await h.db.pool.query(
      'SELECT phone FROM complainant_contacts cc JOIN complaints c ON c.id = cc.complaint_id WHERE c.tracking_code = $1',
      [code],
    );
    expect(contactRow.rows).toEqual([{ phone: '+989121234567' }]);

    // Telegram delivers the confirming update again: nothing new is filed or said.
    const again = await tg.push(confirm, { redeliver: true });
    expect(again.filter((c) => c.method !== 'getUpdates')).toEqual([]);
    // A second press of the old button: a passing notice, not another receipt in the chat.
    const pressed = await tg.push(tg.build.press(chatId, confirm.callback_query!.data!, { evenIfGone: true }));
    expect(texts(pressed)).toEqual([]);
    expect(pressed.find((c) => c.method === 'answerCallbackQuery')?.params.text).toContain('پیش‌تر ثبت شده');
    expect(await complaintsOfChat('telegram', chatId)).toHaveLength(1);
    // The receipt was sent exactly once, and it is intake's outbox message, marked sent.
    expect(receiptsIn(tg, chatId, code)).toBe(1);
    const outbox = await h.db.pool.query(
      `SELECT o.status FROM outbox o JOIN complaints c ON c.id = o.complaint_id WHERE c.tracking_code = $1 AND o.template = 'citizen_received'`,
      [code],
    );
    expect(outbox.rows).toEqual([{ status: 'sent' }]);
    await dispatchOnce(h.db, { providers: { telegram: botProvider(telegram) } });
    expect(receiptsIn(tg, chatId, code)).toBe(1);
  });

  it('a crash after filing but before the conversation was saved: the redelivered confirmation gets the same complaint', async () => {
    const chat = 5_550_002;
    const confirm = await walk(tg, chat, (u) => tg.push(u));
    const key = `telegram:${tg.botId}:${chat}`;
    const before = (await h.db.pool.query('SELECT data FROM bot_sessions WHERE key = $1', [key])).rows[0].data;
    expect(before.step).toBe('confirm');
    const first = trackingCodeIn(texts(await tg.push(confirm)).at(-1)!);
    // The process "died" before the session write: the chat is still at the confirmation.
    await h.db.pool.query('UPDATE bot_sessions SET data = $2 WHERE key = $1', [key, JSON.stringify(before)]);
    const second = texts(await tg.push(confirm, { redeliver: true }));
    // Filing again finds the same complaint, whose receipt is already sent: no second receipt.
    expect(second.filter((t) => t.includes('کد رهگیری'))).toEqual([]);
    expect(receiptsIn(tg, chat, first)).toBe(1);
    expect(await complaintsOfChat('telegram', chat)).toHaveLength(1);
    // This citizen skipped the employee question: nobody is named.
    expect(await complaintsOfChat('telegram', chat)).toEqual([expect.objectContaining({ named_employee: null, named_employee_text: null })]);
  });

  it('/status <code> and a bare code (any digits) answer with the status', async () => {
    const grouped = `\u200e${toPersianDigits(`${code.slice(0, 4)} ${code.slice(4, 8)} ${code.slice(8)}`)}`;
    const byCommand = texts(await tg.userSendsText(chatId, `/status ${toPersianDigits(code)}`));
    expect(byCommand).toEqual([`وضعیت شکایت ${grouped}: ارجاع شده — ${tree.countyOffices[0].nameFa}.`]);
    expect(texts(await tg.userSendsText(chatId, code))).toEqual(byCommand);
    // Any spelling: grouped with spaces or dashes, Arabic-Indic digits, after «پیگیری», pasted back with its direction mark.
    for (const typed of [
      `${code.slice(0, 4)} ${code.slice(4, 8)} ${code.slice(8)}`,
      `پیگیری ${toPersianDigits(`${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`)}`,
      code.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]!),
      grouped,
    ]) {
      expect(texts(await tg.userSendsText(chatId, typed)), typed).toEqual(byCommand);
    }
    expect(texts(await tg.userSendsText(chatId, `/status`))).toEqual([expect.stringContaining('کد رهگیری ۱۲ رقمی')]);
    const wrong = `${code.slice(0, 11)}${(Number(code[11]) + 1) % 10}`;
    expect(texts(await tg.userSendsText(chatId, wrong))).toEqual([expect.stringContaining('درست نیست')]);
  });

  it('the outbox sends the citizen’s messages to the chat through the bot; a 429 is retried', async () => {
    const provider = botProvider(telegram);
    expect(provider.name).toBe('telegram');
    // The receipt went at filing; queued again, the dispatcher sends it through the same provider.
    await h.db.pool.query(
      `UPDATE outbox SET status = 'pending', next_attempt_at = now() FROM complaints c
       WHERE c.id = outbox.complaint_id AND c.tracking_code = $1 AND outbox.template = 'citizen_received'`,
      [code],
    );
    const before = tg.calls.length;
    await dispatchOnce(h.db, { providers: { telegram: provider } });
    const sent = tg.calls.slice(before).filter((c) => c.method === 'sendMessage' && c.params.chat_id === String(chatId));
    expect(sent).toHaveLength(1);
    expect(String(sent[0]!.params.text)).toContain(`کد رهگیری: \u200e${toPersianDigits(`${code.slice(0, 4)} ${code.slice(4, 8)} ${code.slice(8)}`)}`);
    const row = (
      await h.db.pool.query(
        `SELECT o.status, o.channel, o.recipient_address, o.provider_message_id FROM outbox o JOIN complaints c ON c.id = o.complaint_id
         WHERE c.tracking_code = $1 AND o.template = 'citizen_received'`,
        [code],
      )
    ).rows[0];
    expect(row).toMatchObject({ status: 'sent', channel: 'telegram', recipient_address: String(chatId) });

    // Telegram says "too many requests": the dispatcher keeps the message for a retry.
    await h.db.pool.query(
      `UPDATE outbox SET status = 'pending', next_attempt_at = now() FROM complaints c
       WHERE c.id = outbox.complaint_id AND c.tracking_code = $1 AND outbox.template = 'citizen_received'`,
      [code],
    );
    tg.failNext('sendMessage', { status: 429, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } });
    const result = await dispatchOnce(h.db, { providers: { telegram: provider }, baseDelayMs: 1 });
    expect(result).toMatchObject({ sent: 0, retried: 1 });
    const retried = (
      await h.db.pool.query(
        `SELECT o.status, o.last_error FROM outbox o JOIN complaints c ON c.id = o.complaint_id WHERE c.tracking_code = $1 AND o.template = 'citizen_received'`,
        [code],
      )
    ).rows[0];
    expect(retried.status).toBe('pending');
    expect(retried.last_error).toContain('429');
  });

  it('/cancel drops the draft; the old buttons then do nothing', async () => {
    const chat = 5_550_003;
    await tg.userSendsText(chat, '/start');
    await tg.userSendsText(chat, tree.organisation.nameFa);
    const stale = tg.buttons(chat)[0] as { callback_data: string };
    expect(texts(await tg.userSendsText(chat, '/cancel'))).toEqual([expect.stringContaining('لغو شد')]);
    const pressed = await tg.userPressesButton(chat, stale.callback_data);
    expect(pressed).toEqual([
      expect.objectContaining({ method: 'answerCallbackQuery', params: expect.objectContaining({ text: 'این دکمه دیگر کار نمی‌کند.' }) }),
    ]);
    expect(await complaintsOfChat('telegram', chat)).toHaveLength(0);
  });

  it('handled every update without an unexpected error', () => {
    expect(errors).toEqual([]);
  });
});

describe('Bale bot: the same code at another API root', () => {
  it('files a complaint from Bale, answers to the Bale chat', async () => {
    const bl = fake.addBot('222222:bale-test-token', { prefix: '/bale' });
    expect(bl.apiRoot).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/bale$/);
    const bale = startBot('bale', bl);
    await bale.startPolling({ timeoutSeconds: 5 });
    const chat = 7_770_001;
    const confirm = await walk(bl, chat, (u) => bl.push(u), '989121234567', [], '  جناب آقای رضایی ');
    const code = trackingCodeIn(texts(await bl.push(confirm)).at(-1)!);
    expect(await complaintsOfChat('bale', chat)).toEqual([
      expect.objectContaining({
        tracking_code: code,
        channel: 'bale',
        reply_channel: 'bale',
        unit_id: tree.countyOffices[0].id,
        named_employee: 'رضایی',
        named_employee_text: 'جناب آقای رضایی',
      }),
    ]);
    const before = bl.calls.length;
    await dispatchOnce(h.db, { providers: { bale: botProvider(bale) } });
    const sent = bl.calls.slice(before).filter((c) => c.method === 'sendMessage' && c.params.chat_id === String(chat));
    expect(sent).toEqual([]);
    expect(receiptsIn(bl, chat, code)).toBe(1);
    await bale.stop();
    expect(errors).toEqual([]);
  });
});

describe('files sent in the chat', () => {
  it('each is stored through the upload checks; one that is refused is reported and the complaint stands', async () => {
    const fb = fake.addBot('555555:files-test-token', { prefix: '/files' });
    const bot = startBot('bale', fb);
    await bot.startPolling({ timeoutSeconds: 5 });
    const chat = 7_770_009;
    fb.files.set('voice-1', opusVoiceNote());
    fb.files.set('fake-photo', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300, 1)]));
    const confirm = await walk(fb, chat, (u) => fb.push(u), '989121239999', ['voice-1', 'fake-photo']);
    const said = texts(await fb.push(confirm));
    const code = trackingCodeIn(said.find((t) => t.includes('شکایت شما در سامانهٔ ۱۲۸ ثبت شد'))!);
    expect(said).toContain('۱ پیوست همراه شکایت نگهداری شد.');
    expect(said.at(-1)).toContain('۱ پیوست نگهداری نشد');
    const { rows } = await h.db.pool.query(
      'SELECT a.kind, a.mime, a.source, a.source_ref FROM attachments a JOIN complaints c ON c.id = a.complaint_id WHERE c.tracking_code = $1',
      [code],
    );
    expect(rows).toEqual([{ kind: 'voice', mime: 'audio/ogg', source: 'bale', source_ref: 'voice-1' }]);
    await bot.stop();
    expect(errors).toEqual([]);
  });
});

describe('one case across channels', () => {
  it('the same citizen about the same agency again, within the window: a complaint of its own, linked to the open case', async () => {
    const jb = fake.addBot('444444:join-test-token', { prefix: '/join' });
    const bot = startBot('telegram', jb, 72);
    await bot.startPolling({ timeoutSeconds: 5 });
    const phone = '989121110000';
    const first = trackingCodeIn(texts(await jb.push(await walk(jb, 6_660_001, (u) => jb.push(u), phone))).at(-1)!);
    const again = texts(await jb.push(await walk(jb, 6_660_002, (u) => jb.push(u), phone))).at(-1)!;
    // The answer never tells of another complaint (issue 11): its own code, the usual words.
    expect(again).toContain('شکایت شما در سامانهٔ ۱۲۸ ثبت شد');
    expect(trackingCodeIn(again)).not.toBe(first);
    const { rows } = await h.db.pool.query(
      `SELECT c.case_of_id = f.id AS linked, c.phone_verified AS verified FROM complaints c, complaints f WHERE c.tracking_code = $1 AND f.tracking_code = $2`,
      [trackingCodeIn(again), first],
    );
    expect(rows).toEqual([{ linked: true, verified: true }]);
    await bot.stop();
    expect(errors).toEqual([]);
  });

  it('identity goes to the agency only with consent: off by default, a toggle on the summary turns it on', async () => {
    const cb = fake.addBot('555555:consent-test-token', { prefix: '/consent' });
    const bot = startBot('bale', cb);
    await bot.startPolling({ timeoutSeconds: 5 });
    const quiet = trackingCodeIn(texts(await cb.push(await walk(cb, 7_770_001, (u) => cb.push(u), '989121110001'))).at(-1)!);
    const unsent = await walk(cb, 7_770_002, (u) => cb.push(u), '989121110002');
    expect(cb.chatMessages(7_770_002).at(-1)?.text).toContain('داده نمی‌شود');
    const toggle = cb.buttons(7_770_002).find((b) => b.text.includes('رضایت می‌دهم'));
    if (!toggle || !('callback_data' in toggle)) throw new Error('no consent toggle');
    await cb.push(cb.build.press(7_770_002, toggle.callback_data));
    expect(cb.chatMessages(7_770_002).at(-1)?.text).toContain('با رضایت شما');
    // The same confirm button, pressed after the toggle (a fresh update).
    const shared = trackingCodeIn(texts(await cb.push(cb.build.press(7_770_002, unsent.callback_query!.data!))).at(-1)!);
    const { rows } = await h.db.pool.query(
      `SELECT c.tracking_code AS code, c.share_identity AS share, e.data->>'identityConsent' AS consent
       FROM complaints c JOIN complaint_events e ON e.complaint_id = c.id AND e.type = 'received' WHERE c.tracking_code = ANY($1) ORDER BY c.share_identity`,
      [[quiet, shared]],
    );
    expect(rows).toEqual([
      { code: quiet, share: false, consent: 'withheld' },
      { code: shared, share: true, consent: 'given' },
    ]);
    await bot.stop();
    expect(errors).toEqual([]);
  });
});

describe('webhook mode', () => {
  let app: FastifyInstance;
  let wh: FakeBot;
  const secret = 'webhook-secret-0123456789';

  beforeAll(async () => {
    wh = fake.addBot('333333:webhook-test-token', { prefix: '/wh' });
    const bot = startBot('telegram', wh);
    app = Fastify();
    await app.register(botWebhookRoutes, { prefix: '/api/v1', bots: [{ bot, secretToken: secret }] });
    await app.ready();
    await bot.setWebhook('https://foad.example/api/v1/channels/telegram/webhook', secret);
    expect(wh.calls.at(-1)).toMatchObject({ method: 'setWebhook', params: { secret_token: secret } });
  });
  afterAll(() => app?.close());

  const post = (update: Update, headers: Record<string, string> = { [SECRET_HEADER]: secret }) =>
    app.inject({ method: 'POST', url: '/api/v1/channels/telegram/webhook', payload: update, headers });

  it('refuses an update without the secret header', async () => {
    const update = wh.build.text(9_990_001, '/start');
    expect((await post(update, {})).statusCode).toBe(401);
    expect((await post(update, { [SECRET_HEADER]: 'wrong-secret-0123456789' })).statusCode).toBe(401);
    expect(wh.chatMessages(9_990_001)).toHaveLength(0);
  });

  it('files once however often the confirming update is posted', async () => {
    const chat = 9_990_002;
    const deliver = async (u: Update) => {
      const res = await post(u);
      expect(res.statusCode).toBe(200);
    };
    const confirm = await walk(wh, chat, deliver);
    await Promise.all([deliver(confirm), deliver(confirm)]);
    await deliver(confirm);
    const rows = await complaintsOfChat('telegram', chat);
    expect(rows).toHaveLength(1);
    expect(receiptsIn(wh, chat, rows[0].tracking_code)).toBe(1);
    expect(errors).toEqual([]);
  });
});
