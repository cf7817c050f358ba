import type { Unit } from '../agencies/store.ts';
import type { Queryable } from '../db/database.ts';
import { type Actor, chainEvents, currentChainKeys, type NewEvent, type StoredEvent } from '../domain/event-chain.ts';
import { contactDigest, GENESIS_HASH } from '../domain/hash-chain.ts';
import { jalaliDateOf, parsePeriod, periodBounds } from '../domain/jalali-periods.ts';
import { type Command, type ComplaintState, decide, evolve, initialState, type LifecycleEvent } from '../domain/lifecycle.ts';
import { seededRandom } from '../domain/seeded-random.ts';
import { verhoeffDigit } from '../domain/tracking-code.ts';
import { CATEGORIES } from './catalogue.ts';
import { HISTORY_TEXTS } from './demo-texts.ts';

export { seededRandom };

export interface HistoryPlace {
  provinceId: number;
  provinceCode: string;
  nameFa: string;
  counties: { id: number; code: string; nameFa: string }[];
}

/** How busy and how good each demo organisation is (complaints per office a month; share answered in time and satisfied). */
const PROFILE: Record<string, { volume: number; quality: number }> = {
  MOH: { volume: 2.0, quality: 0.78 },
  SSO: { volume: 1.8, quality: 0.62 },
  INTA: { volume: 1.2, quality: 0.7 },
  SSAA: { volume: 0.7, quality: 0.84 },
  MOE: { volume: 0.8, quality: 0.74 },
  TAVANIR: { volume: 1.6, quality: 0.8 },
  ABFA: { volume: 1.0, quality: 0.66 },
  NIGC: { volume: 1.0, quality: 0.88 },
  MRUD: { volume: 0.5, quality: 0.58 },
  NOCR: { volume: 0.6, quality: 0.9 },
};
/** Bigger counties file more (the provincial capitals most). */
const COUNTY_WEIGHT: Record<string, number> = { همدان: 4, ملایر: 2, نهاوند: 1.5, قزوین: 3.5, تاکستان: 1.2 };
const PROVINCE_WEIGHT: Record<string, number> = { همدان: 1, قزوین: 0.5 };
const BASE_PER_OFFICE = 3;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface Generated {
  id: string;
  trackingCode: string;
  categoryId: number;
  urgent: boolean;
  description: string;
  provinceId: number;
  countyId: number;
  phone: string;
  createdAt: Date;
  /** The organisation the complaint counts for (the root of the office it was referred to). */
  organisationId: number;
  /** The office it was referred to: the one it counts for, whatever happened after. */
  officeId: number;
  /** The row as the story ended. */
  final: { state: ComplaintState; unitPath: string; seq: number; hash: string; firstActionAt: Date | null; breachCount: number; updatedAt: Date };
  events: StoredEvent[];
  breaches: { unitId: number; managerId: number | null; dueAt: Date; breachedAt: Date; escalatedTo: number }[];
}

export interface Tree {
  byId: Map<number, Unit>;
  byCode: Map<string, Unit>;
}

/** Units carry their inspection head: the history's answers and breaches are theirs. */
export async function ensureHeads(db: Queryable, units: Unit[]): Promise<Tree> {
  const ids = units.filter((u) => u.kind === 'provincial_directorate' || u.kind === 'county_office').map((u) => u.id);
  // Placeholder heads for the offices without a demo login: they cannot sign in (the hash never verifies).
  await db.query(
    `WITH heads AS (
       INSERT INTO staff_users (username, display_name, password_hash, role, unit_id, language)
       SELECT 'head.' || lower(u.code), 'مسئول بازرسی دستگاه (' || u.name_fa || ')', '!disabled', 'inspection_head', u.id, 'fa'
       FROM units u WHERE u.id = ANY($1::int[]) AND u.inspection_head_id IS NULL
       RETURNING id, unit_id)
     UPDATE units u SET inspection_head_id = h.id FROM heads h WHERE u.id = h.unit_id`,
    [ids],
  );
  const { rows } = await db.query<{ id: number; inspectionHeadId: number | null }>(
    'SELECT id, inspection_head_id AS "inspectionHeadId" FROM units WHERE id = ANY($1::int[])',
    [units.map((u) => u.id)],
  );
  const heads = new Map(rows.map((r) => [r.id, r.inspectionHeadId]));
  const withHeads = units.map((u) => ({ ...u, inspectionHeadId: heads.get(u.id) ?? null }));
  return { byId: new Map(withHeads.map((u) => [u.id, u])), byCode: new Map(withHeads.map((u) => [u.code, u])) };
}

/** The last `count` finished Jalali months before `now`'s month, oldest first, and the month of `now`. */
export function historyMonths(now: Date, count: number): { past: string[]; current: string } {
  const { jy, jm } = jalaliDateOf(now);
  const key = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}`;
  const past: string[] = [];
  let [y, m] = [jy, jm];
  for (let i = 0; i < count; i++) {
    [y, m] = m === 1 ? [y - 1, 12] : [y, m - 1];
    past.unshift(key(y, m));
  }
  return { past, current: key(jy, jm) };
}

function trackingCode(random: () => number): string {
  let body = String(1 + Math.floor(random() * 9));
  for (let i = 0; i < 10; i++) body += String(Math.floor(random() * 10));
  return body + String(verhoeffDigit(body));
}

type StoryBase = Omit<Generated, 'officeId' | 'final' | 'events' | 'breaches'>;

/** Plays one complaint's story through the lifecycle (decide → evolve) and chains its events, as the live path would. */
function playStory(random: () => number, base: StoryBase, picked: Unit, office: Unit, tree: Tree, answerHours: number, quality: number): Generated | null {
  const t0 = base.createdAt.getTime();
  const state = initialState({ agencyId: picked.id, categoryId: base.categoryId, provinceId: base.provinceId, countyId: base.countyId });
  const story: Story = { id: base.id, tree, state, head: { seq: 0, hash: GENESIS_HASH }, stored: [], breaches: [], firstActionAt: null, last: t0 };
  const due = t0 + answerHours * HOUR;
  fileChapter(story, base, picked, office, t0, due);
  let unit = office;
  if (random() < 0.07) {
    rejectChapter(story, random, unit, t0);
  } else {
    const answered = answerChapter(story, random, office, t0, due, answerHours, quality);
    unit = rateChapter(story, random, answered.unit, answered.answerAt, answerHours, quality);
  }
  return {
    ...base,
    officeId: office.id,
    final: {
      state: story.state,
      unitPath: unit.path,
      seq: story.head.seq,
      hash: story.head.hash,
      firstActionAt: story.firstActionAt,
      breachCount: story.breaches.length,
      updatedAt: new Date(story.last),
    },
    events: story.stored,
    breaches: story.breaches,
  };
}

/** One complaint's story as it is played: its state, its chain so far and its breaches. */
interface Story {
  id: string;
  tree: Tree;
  state: ComplaintState;
  head: { seq: number; hash: string };
  stored: StoredEvent[];
  breaches: Generated['breaches'];
  firstActionAt: Date | null;
  last: number;
}

const CITIZEN: Actor = { kind: 'citizen', id: null };
const SYSTEM: Actor = { kind: 'system', id: null };
const iso = (t: number) => new Date(t).toISOString();
/** One of `xs`, drawn with the seeded PRNG. */
const pick = <T>(random: () => number, xs: T[]) => xs[Math.floor(random() * xs.length)]!;

/** Chains `events` by `actor` at `at`, evolving the state by the lifecycle ones. */
function push(story: Story, actor: Actor, at: number, events: NewEvent[]): void {
  for (const e of events) {
    if (e.type !== 'received' && e.type !== 'sla_breached') story.state = evolve(story.state, e as LifecycleEvent, iso(at));
  }
  const chained = chainEvents(story.id, story.head, actor, events, new Date(at));
  story.stored.push(...chained.events);
  story.head = { seq: chained.seq, hash: chained.hash };
  story.last = at;
}

/** Decides `command` on the story's state and chains the events it yields. */
function run(story: Story, actor: Actor, at: number, command: Command): void {
  push(story, actor, at, decide(story.state, command));
}

/** Marks the story's first staff action (only the first counts). */
function act(story: Story, at: number): void {
  story.firstActionAt ??= new Date(at);
}

/** The unit's inspection head, as the actor of its staff's steps. */
function staffOf(story: Story, unitId: number): Actor {
  return { kind: 'staff', id: story.tree.byId.get(unitId)?.inspectionHeadId ?? null };
}

/** Chapter one: the citizen files on the web and the complaint is referred to the office. */
function fileChapter(story: Story, base: StoryBase, picked: Unit, office: Unit, t0: number, due: number): void {
  push(story, CITIZEN, t0, [
    {
      type: 'received',
      data: {
        trackingCode: base.trackingCode,
        channel: 'web',
        agencyId: picked.id,
        officeText: null,
        provinceId: base.provinceId,
        countyId: base.countyId,
        categoryId: base.categoryId,
        serviceId: null,
        urgent: base.urgent,
        description: base.description,
        location: null,
        confidential: false,
        language: 'fa',
        country: 'IR',
        identityConsent: 'withheld',
        phoneVerified: false,
        // As intake writes it: the contact covered by a keyed digest, never the phone itself.
        contactDigest: contactDigest(currentChainKeys().active, base.id, { phone: base.phone, name: null, nationalId: null, reply: null }),
      },
    },
  ]);
  run(story, CITIZEN, t0, {
    type: 'refer',
    unitId: office.id,
    agencyId: picked.id,
    categoryId: base.categoryId,
    dueAt: iso(due),
    provinceId: base.provinceId,
    countyId: base.countyId,
  });
}

/** Chapter two, for about one in fourteen: the office rejects the complaint. */
function rejectChapter(story: Story, random: () => number, unit: Unit, t0: number): void {
  const at = t0 + (20 + random() * 100) * MINUTE;
  act(story, at);
  run(story, staffOf(story, unit.id), at, { type: 'reject', reason: pick(random, HISTORY_TEXTS.rejections) });
}

/** Chapter two otherwise: the office takes the complaint and answers it; when late, a breach escalates it first. */
function answerChapter(
  story: Story,
  random: () => number,
  office: Unit,
  t0: number,
  firstDue: number,
  answerHours: number,
  quality: number,
): { unit: Unit; answerAt: number } {
  let unit = office;
  let due = firstDue;
  const assignedAt = t0 + Math.min(Math.exp(Math.log(15) + random() * 1.6), answerHours * 40) * MINUTE;
  act(story, assignedAt);
  run(story, staffOf(story, unit.id), assignedAt, { type: 'assign', assigneeId: staffOf(story, unit.id).id ?? 0 });
  // Slower, more often late where the organisation's quality is low.
  const share = Math.exp(Math.log(0.45 / quality) + (random() - 0.5) * 1.8);
  let answerAt = Math.max(assignedAt + 5 * MINUTE, t0 + share * answerHours * HOUR);
  if (answerAt > due) {
    const directorate = story.tree.byId.get(unit.parentId!)!;
    const newDue = due + answerHours * HOUR;
    story.breaches.push({ unitId: unit.id, managerId: unit.inspectionHeadId, dueAt: new Date(due), breachedAt: new Date(due), escalatedTo: directorate.id });
    push(story, SYSTEM, due, [
      { type: 'sla_breached', data: { kind: 'answer', dueAt: iso(due), unitId: unit.id, managerId: unit.inspectionHeadId, toNationalCentre: false } },
    ]);
    run(story, SYSTEM, due, { type: 'escalate', toUnitId: directorate.id, reason: 'sla_breach', dueAt: iso(newDue) });
    unit = directorate;
    due = newDue;
    answerAt = due - (0.2 + random() * 0.6) * answerHours * HOUR;
  }
  run(story, staffOf(story, unit.id), answerAt, { type: 'answer', text: pick(random, HISTORY_TEXTS.answers) });
  return { unit, answerAt };
}

/** Chapter three: the citizen is satisfied, or objects and the directorate answers again, or it closes unrated. Returns the unit it ends with. */
function rateChapter(story: Story, random: () => number, unit: Unit, answerAt: number, answerHours: number, quality: number): Unit {
  const ratedAt = answerAt + (10 + random() * 1400) * MINUTE;
  const r = random();
  const satisfied = 0.25 + quality * 0.6;
  if (r < satisfied) {
    run(story, CITIZEN, ratedAt, { type: 'rate', satisfied: true, comment: null });
    return unit;
  }
  if (r < satisfied + 0.1 && unit.kind === 'county_office') {
    const directorate = story.tree.byId.get(unit.parentId!)!;
    run(story, CITIZEN, ratedAt, { type: 'rate', satisfied: false, comment: null, toUnitId: directorate.id, dueAt: iso(ratedAt + answerHours * HOUR) });
    const again = ratedAt + (0.2 + random() * 0.6) * answerHours * HOUR;
    run(story, staffOf(story, directorate.id), again, { type: 'answer', text: pick(random, HISTORY_TEXTS.answers) });
    run(story, SYSTEM, again + 72 * HOUR, { type: 'close_unrated' });
    return directorate;
  }
  run(story, SYSTEM, answerAt + 72 * HOUR, { type: 'close_unrated' });
  return unit;
}

/**
 * Generates the demo's history: `months` finished Jalali months before `now` (and the current
 * month up to a week ago) of complaints about every demo organisation's office in every county of
 * the demo provinces, each played through the lifecycle — referral, answer or rejection, breach and
 * escalation, the citizen's rating or dissatisfaction — with a seeded PRNG, so the same database
 * comes out on every machine. Only stories that have ended by `now` are kept.
 */
export function generateHistory(
  input: { now: Date; months: number; seed: number; places: HistoryPlace[]; organisations: string[]; categories: { id: number; code: string }[] },
  tree: Tree,
): Generated[] {
  const random = seededRandom(input.seed);
  const { past, current } = historyMonths(input.now, input.months);
  const out: Generated[] = [];
  const catalogue = CATEGORIES.map((c) => ({ ...c, id: input.categories.find((x) => x.code === c.code)?.id })).filter((c) => c.id !== undefined);
  const limit = input.now.getTime() - HOUR;
  for (const key of [...past, current]) {
    const { startsAt, endsAt } = periodBounds(parsePeriod(key)!);
    const from = startsAt.getTime();
    const to = Math.min(endsAt.getTime(), input.now.getTime() - 7 * 24 * HOUR);
    if (to <= from) continue;
    for (const place of input.places) {
      for (const county of place.counties) {
        for (const org of input.organisations) {
          const office = tree.byCode.get(`${org}-${county.code}`);
          const root = tree.byCode.get(org);
          if (!office || !root) continue;
          const profile = PROFILE[org] ?? { volume: 1, quality: 0.7 };
          const lambda =
            BASE_PER_OFFICE * profile.volume * (COUNTY_WEIGHT[county.nameFa] ?? 1) * (PROVINCE_WEIGHT[place.nameFa] ?? 1) * ((to - from) / (30 * 24 * HOUR));
          const count = Math.round(lambda * (0.6 + random() * 0.8));
          const quality = Math.min(0.97, Math.max(0.4, profile.quality + (random() - 0.5) * 0.16));
          for (let i = 0; i < count; i++) {
            const category = catalogue[Math.floor(random() * catalogue.length)]!;
            // Office hours, Tehran (UTC+3:30): 08:00–14:00.
            const day = from + Math.floor(random() * ((to - from) / (24 * HOUR))) * 24 * HOUR;
            const createdAt = new Date(day + (4.5 + random() * 6) * HOUR + Math.floor(random() * 60) * MINUTE);
            const r = random();
            const picked = r < 0.6 ? root : r < 0.92 ? office : tree.byId.get(office.parentId!)!;
            const texts = HISTORY_TEXTS.descriptions[category.code] ?? HISTORY_TEXTS.descriptions.runaround!;
            const story = playStory(
              random,
              {
                id: randomUUIDFrom(random),
                trackingCode: trackingCode(random),
                categoryId: category.id!,
                urgent: category.urgent,
                description: texts[Math.floor(random() * texts.length)]!,
                provinceId: place.provinceId,
                countyId: county.id,
                phone: `+989${String(120_000_000 + Math.floor(random() * 99_999_999)).slice(0, 9)}`,
                createdAt,
                organisationId: root.id,
              },
              picked,
              office,
              tree,
              category.answerHours,
              quality,
            );
            if (story && story.final.updatedAt.getTime() <= limit) out.push(story);
          }
        }
      }
    }
  }
  return out;
}

/** A version-4 UUID from the seeded PRNG (crypto's randomUUID would differ on every run). */
function randomUUIDFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Math.floor(random() * 4) + 8) as number).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
