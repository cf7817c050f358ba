import { randomBytes } from 'node:crypto';
import { createUnit } from '../src/agencies/manage-units.ts';
import { setInspectionHead, type Unit } from '../src/agencies/store.ts';
import { insertSession, insertStaff } from '../src/auth/store.ts';
import { hashSecret, newToken } from '../src/auth/tokens.ts';
import type { Config } from '../src/config.ts';
import { ROLE_NAMES_FA, type Role } from '../src/core/roles.ts';
import type { Database, Queryable } from '../src/db/database.ts';

/** A short unique suffix so every test builds its own agencies and users side by side. */
export function uniq(): string {
  return randomBytes(3).toString('hex');
}

export interface Place {
  provinceId: number;
  countyIds: number[];
}

/** Two real provinces with at least two counties each, from the reference data. */
export async function places(db: Queryable): Promise<Place[]> {
  const { rows } = await db.query<{ provinceId: number; countyIds: number[] }>(
    `SELECT p.id AS "provinceId", array_agg(c.id ORDER BY c.id) AS "countyIds"
     FROM provinces p JOIN counties c ON c.province_id = p.id GROUP BY p.id HAVING count(*) >= 2 ORDER BY p.id LIMIT 2`,
  );
  return rows;
}

export interface Tree {
  ministry: Unit;
  organisation: Unit;
  directorate: Unit;
  /** county offices in the first two counties of the province */
  countyOffices: [Unit, Unit];
  place: Place;
}

/**
 * Builds an agency: ministry → organisation → provincial directorate → two county offices, in
 * the given place. Each call makes a new, independent agency.
 */
export async function buildTree(db: Queryable, place: Place, name = 'سازمان آزمایشی'): Promise<Tree> {
  const s = uniq();
  // Persian names carry the suffix in Persian digits: a hex suffix such as «e12ebf» would put
  // Latin letters on pages that the UI tests check are free of English.
  const f = Number.parseInt(s, 16).toLocaleString('fa-IR', { useGrouping: false });
  const ministry = await createUnit(db, {
    code: `M-${s}`,
    parentId: null,
    kind: 'ministry',
    nameFa: `وزارت آزمایشی ${f}`,
    nameEn: `Test Ministry ${s}`,
    provinceId: null,
    countyId: null,
  });
  const organisation = await createUnit(db, {
    code: `O-${s}`,
    parentId: ministry.id,
    kind: 'organisation',
    nameFa: `${name} ${f}`,
    nameEn: `Test Organisation ${s}`,
    provinceId: null,
    countyId: null,
  });
  const directorate = await createUnit(db, {
    code: `D-${s}`,
    parentId: organisation.id,
    kind: 'provincial_directorate',
    nameFa: `ادارهٔ کل ${name} ${f}`,
    nameEn: '',
    provinceId: place.provinceId,
    countyId: null,
  });
  const offices: Unit[] = [];
  for (const countyId of place.countyIds.slice(0, 2)) {
    offices.push(
      await createUnit(db, {
        code: `C-${s}-${countyId}`,
        parentId: directorate.id,
        kind: 'county_office',
        nameFa: `ادارهٔ ${name} شهرستان ${countyId.toLocaleString('fa-IR', { useGrouping: false })}`,
        nameEn: '',
        provinceId: place.provinceId,
        countyId,
      }),
    );
  }
  return { ministry, organisation, directorate, countyOffices: offices as [Unit, Unit], place };
}

export interface StaffFixture {
  id: number;
  token: string;
  role: Role;
  headers: { authorization: string };
}

/**
 * How long a factory session lives: ten years from the config clock's time, so a test that moves
 * a ManualClock days or years on (deadlines, report periods) keeps its staff signed in. Session
 * expiry itself is tested with sessions of real length (session-clock.test.ts).
 */
const FACTORY_SESSION_MINUTES = 10 * 366 * 24 * 60;

/**
 * A staff user with a live session. Argon2 hashing is skipped here on purpose (a fixed hash):
 * the sign-in path itself is tested in auth.test.ts.
 */
export async function staff(
  db: Database,
  config: Config,
  role: Role,
  scope: { unit?: Unit; provinceId?: number } = {},
  options: { inspectionHead?: boolean } = {},
): Promise<StaffFixture> {
  const id = await insertStaff(db.pool, {
    username: `${role.replace(/_/g, '-')}.${uniq()}`,
    displayName: `${ROLE_NAMES_FA[role]} آزمایشی`, // Persian only: browser tests check pages for Latin text
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$invalidinvalidinvalidinvalidinvalidinvalidin',
    role,
    unitId: scope.unit?.id ?? null,
    provinceId: scope.provinceId ?? null,
    language: 'fa',
  });
  if (options.inspectionHead && scope.unit) await setInspectionHead(db.pool, scope.unit.id, id, config.clock.now());
  const token = newToken();
  await insertSession(db.pool, hashSecret(token, config.secret), id, FACTORY_SESSION_MINUTES, config.clock.now());
  return { id, token, role, headers: { authorization: `Bearer ${token}` } };
}

/** A first urgent category from the seed catalogue. */
export async function urgentCategory(db: Queryable): Promise<{ id: number; answerHours: number }> {
  const { rows } = await db.query<{ id: number; answerHours: number }>(
    'SELECT id, answer_hours AS "answerHours" FROM categories WHERE urgent ORDER BY id LIMIT 1',
  );
  return rows[0]!;
}

let phoneCounter = 0;
/** A valid, distinct Iranian mobile number. */
export function mobile(): string {
  phoneCounter++;
  return `0912${String(1_000_000 + ((Date.now() + phoneCounter * 7919) % 8_999_999)).slice(0, 7)}`;
}

/** The body of a valid web complaint about `agencyId` in a county. */
export function complaintBody(agencyId: number, countyId: number, extra: Record<string, unknown> = {}) {
  return {
    channel: 'web',
    agencyId,
    countyId,
    description: 'کارمند باجهٔ شمارهٔ ۲ از ساعت ۹ صبح پشت میز نیست و کسی جای او نیست.',
    contact: { phone: mobile() },
    ...extra,
  };
}
