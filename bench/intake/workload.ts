import type pg from 'pg';
import { routeComplaint } from '../../server/src/agencies/routing.ts';
import { getUnitByCode, type Unit } from '../../server/src/agencies/store.ts';
import { normalizePersianText } from '../../server/src/domain/persian-text.ts';
import { DEMO_PROVINCES } from '../../server/src/seed/demo.ts';

// ── The workload: the same complaint i for the HTTP run and the baseline ────────────────────

/** Agencies (ministries and organisations) from the demo seed; each gets a complaint in every Hamedan county. */
export const AGENCY_CODES = ['MOH', 'SSO', 'INTA', 'TAVANIR', 'ABFA', 'NOCR', 'SSAA', 'MOE'];
export const MOBILE_PREFIXES = ['0912', '0935', '0919', '0901'];
export const DESCRIPTIONS = [
  'ساعت ۱۰ صبح به اداره مراجعه کردم؛ کارمند باجهٔ ۳ پشت میز نبود و کسی هم جایش نبود. یک ساعت است منتظرم.',
  'سه هفته است برای یک امضا مرا از این میز به آن میز می‌فرستند و هر بار می‌گویند فردا بیایید.',
  'سامانهٔ نوبت‌دهی از صبح قطع است و هیچ کاری انجام نمی‌شود؛ به مراجعان هم توضیحی نمی‌دهند.',
  'کارمند با من بی‌احترامی کرد و پرونده‌ام را بدون هیچ توضیحی پس داد.',
];

export interface Target {
  agency: Unit;
  /** The unit the routing rule refers this agency's complaints in this county to. */
  unit: Unit;
  provinceId: number;
  countyId: number;
}

export interface Category {
  id: number;
  urgent: boolean;
  answerHours: number;
}

export interface Workload {
  targets: Target[];
  categories: Category[];
  /** The descriptions as intake stores them (normalised), for the baseline rows. */
  stored: string[];
}

export interface Complaint {
  target: Target;
  category: Category;
  description: number;
  phone: string;
}

export function complaintAt(w: Workload, i: number): Complaint {
  const target = w.targets[i % w.targets.length]!;
  const category = w.categories[Math.floor(i / w.targets.length) % w.categories.length]!;
  const phone = `${MOBILE_PREFIXES[i % MOBILE_PREFIXES.length]}${String((i * 7919) % 10_000_000).padStart(7, '0')}`;
  return { target, category, description: i % DESCRIPTIONS.length, phone };
}

export function requestBody(c: Complaint): string {
  return JSON.stringify({
    channel: 'web',
    agencyId: c.target.agency.id,
    countyId: c.target.countyId,
    categoryId: c.category.id,
    description: DESCRIPTIONS[c.description],
    contact: { phone: c.phone },
  });
}

export async function loadWorkload(db: pg.Pool): Promise<Workload> {
  const counties = (
    await db.query<{ id: number; provinceId: number }>(
      `SELECT c.id, c.province_id AS "provinceId" FROM counties c JOIN provinces p ON p.id = c.province_id WHERE p.name_fa = $1 ORDER BY c.id`,
      [DEMO_PROVINCES[0]],
    )
  ).rows;
  if (counties.length === 0) throw new Error(`no counties for ${DEMO_PROVINCES[0]} in the reference data`);
  const targets: Target[] = [];
  for (const code of AGENCY_CODES) {
    const agency = await getUnitByCode(db, code);
    if (!agency) throw new Error(`demo agency ${code} is missing`);
    for (const county of counties) {
      const unit = await routeComplaint(db, agency, county.provinceId, county.id);
      targets.push({ agency, unit, provinceId: county.provinceId, countyId: county.id });
    }
  }
  const categories = (await db.query<Category>('SELECT id, urgent, answer_hours AS "answerHours" FROM categories WHERE active ORDER BY sort_order, id LIMIT 6'))
    .rows;
  if (categories.length === 0) throw new Error('no categories in the seed catalogue');
  return { targets, categories, stored: DESCRIPTIONS.map(normalizePersianText) };
}
