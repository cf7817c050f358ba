import * as OTPAuth from 'otpauth';
import { createUnit } from '../agencies/manage-units.ts';
import { setInspectionHead, type Unit, type UnitKind } from '../agencies/store.ts';
import { createStaff } from '../auth/create-staff.ts';
import { setTotp } from '../auth/store.ts';
import { systemClock } from '../core/clock.ts';
import { type Role, requiresTotp } from '../core/roles.ts';
import type { Database, Queryable } from '../db/database.ts';
import { seedSampleComplaints } from './demo-complaints.ts';
import { type HistoryOptions, seedHistory } from './demo-history-write.ts';

interface AgencySpec {
  code: string;
  kind: UnitKind;
  nameFa: string;
  nameEn: string;
  /** Name patterns for the provincial directorate and county offices; {p} is the province, {c} the county. */
  provincial?: { fa: string; en: string };
  county?: { fa: string; en: string };
  children?: AgencySpec[];
}

/** Real executive agencies, with the names their provincial and county offices go by. */
export const DEMO_AGENCIES: AgencySpec[] = [
  {
    code: 'MOH',
    kind: 'ministry',
    nameFa: 'وزارت بهداشت، درمان و آموزش پزشکی',
    nameEn: 'Ministry of Health and Medical Education',
    provincial: { fa: 'دانشگاه علوم پزشکی {p}', en: '{p} University of Medical Sciences' },
    county: { fa: 'شبکهٔ بهداشت و درمان {c}', en: '{c} Health Network' },
  },
  {
    code: 'MCLS',
    kind: 'ministry',
    nameFa: 'وزارت تعاون، کار و رفاه اجتماعی',
    nameEn: 'Ministry of Cooperatives, Labour and Social Welfare',
    children: [
      {
        code: 'SSO',
        kind: 'organisation',
        nameFa: 'سازمان تأمین اجتماعی',
        nameEn: 'Social Security Organization',
        provincial: { fa: 'ادارهٔ کل تأمین اجتماعی استان {p}', en: '{p} Social Security Directorate' },
        county: { fa: 'شعبهٔ تأمین اجتماعی {c}', en: '{c} Social Security Branch' },
      },
    ],
  },
  {
    code: 'MEFA',
    kind: 'ministry',
    nameFa: 'وزارت امور اقتصادی و دارایی',
    nameEn: 'Ministry of Economic Affairs and Finance',
    children: [
      {
        code: 'INTA',
        kind: 'organisation',
        nameFa: 'سازمان امور مالیاتی کشور',
        nameEn: 'Iranian National Tax Administration',
        provincial: { fa: 'ادارهٔ کل امور مالیاتی استان {p}', en: '{p} Tax Directorate' },
        county: { fa: 'ادارهٔ امور مالیاتی {c}', en: '{c} Tax Office' },
      },
    ],
  },
  {
    code: 'SSAA',
    kind: 'organisation',
    nameFa: 'سازمان ثبت اسناد و املاک کشور',
    nameEn: 'Deeds and Properties Registration Organization',
    provincial: { fa: 'ادارهٔ کل ثبت اسناد و املاک استان {p}', en: '{p} Deeds Registration Directorate' },
    county: { fa: 'ادارهٔ ثبت اسناد و املاک {c}', en: '{c} Deeds Registration Office' },
  },
  {
    code: 'MOE',
    kind: 'ministry',
    nameFa: 'وزارت آموزش و پرورش',
    nameEn: 'Ministry of Education',
    provincial: { fa: 'ادارهٔ کل آموزش و پرورش استان {p}', en: '{p} Education Directorate' },
    county: { fa: 'ادارهٔ آموزش و پرورش {c}', en: '{c} Education Office' },
  },
  {
    code: 'MOEN',
    kind: 'ministry',
    nameFa: 'وزارت نیرو',
    nameEn: 'Ministry of Energy',
    children: [
      {
        code: 'TAVANIR',
        kind: 'organisation',
        nameFa: 'شرکت مادرتخصصی توانیر',
        nameEn: 'Tavanir (electricity)',
        provincial: { fa: 'شرکت توزیع نیروی برق استان {p}', en: '{p} Electricity Distribution Company' },
        county: { fa: 'ادارهٔ برق {c}', en: '{c} Electricity Office' },
      },
      {
        code: 'ABFA',
        kind: 'organisation',
        nameFa: 'شرکت مهندسی آب و فاضلاب کشور',
        nameEn: 'National Water and Wastewater Engineering Company',
        provincial: { fa: 'شرکت آب و فاضلاب استان {p}', en: '{p} Water and Wastewater Company' },
        county: { fa: 'ادارهٔ آب و فاضلاب {c}', en: '{c} Water and Wastewater Office' },
      },
    ],
  },
  {
    code: 'MOP',
    kind: 'ministry',
    nameFa: 'وزارت نفت',
    nameEn: 'Ministry of Petroleum',
    children: [
      {
        code: 'NIGC',
        kind: 'organisation',
        nameFa: 'شرکت ملی گاز ایران',
        nameEn: 'National Iranian Gas Company',
        provincial: { fa: 'شرکت گاز استان {p}', en: '{p} Gas Company' },
        county: { fa: 'ادارهٔ گاز {c}', en: '{c} Gas Office' },
      },
    ],
  },
  {
    code: 'MRUD',
    kind: 'ministry',
    nameFa: 'وزارت راه و شهرسازی',
    nameEn: 'Ministry of Roads and Urban Development',
    provincial: { fa: 'ادارهٔ کل راه و شهرسازی استان {p}', en: '{p} Roads and Urban Development Directorate' },
    county: { fa: 'ادارهٔ راه و شهرسازی {c}', en: '{c} Roads and Urban Development Office' },
  },
  {
    code: 'MOI',
    kind: 'ministry',
    nameFa: 'وزارت کشور',
    nameEn: 'Ministry of Interior',
    children: [
      {
        code: 'NOCR',
        kind: 'organisation',
        nameFa: 'سازمان ثبت احوال کشور',
        nameEn: 'National Organization for Civil Registration',
        provincial: { fa: 'ادارهٔ کل ثبت احوال استان {p}', en: '{p} Civil Registration Directorate' },
        county: { fa: 'ادارهٔ ثبت احوال {c}', en: '{c} Civil Registration Office' },
      },
    ],
  },
];

/** The provinces the demo builds offices in: Hamedan (every county) and Qazvin, where 128 was piloted. */
export const DEMO_PROVINCES = ['همدان', 'قزوین'];

interface Place {
  provinceId: number;
  provinceCode: string;
  nameFa: string;
  nameEn: string;
  counties: { id: number; code: string; nameFa: string; nameEn: string }[];
}

async function places(db: Queryable, names: string[]): Promise<Place[]> {
  const { rows } = await db.query<Place>(
    `SELECT p.id AS "provinceId", p.code AS "provinceCode", p.name_fa AS "nameFa", p.name_en AS "nameEn",
            COALESCE(json_agg(json_build_object('id', c.id, 'code', c.code, 'nameFa', c.name_fa, 'nameEn', c.name_en) ORDER BY c.name_fa)
              FILTER (WHERE c.id IS NOT NULL), '[]') AS counties
     FROM provinces p LEFT JOIN counties c ON c.province_id = p.id WHERE p.name_fa = ANY($1) GROUP BY p.id ORDER BY p.id`,
    [names],
  );
  return rows;
}

const fill = (pattern: string, p: string, c = '') => pattern.replace('{p}', p).replace('{c}', c);

/** The codes of the organisations that have county offices (the ones the history is about). */
function organisationCodes(specs: AgencySpec[]): string[] {
  return specs.flatMap((spec) => [...(spec.county ? [spec.code] : []), ...organisationCodes(spec.children ?? [])]);
}

/** Builds one agency (and its children) with directorates and county offices in the given provinces. Returns units by code. */
export async function buildAgency(db: Queryable, spec: AgencySpec, parent: Unit | null, where: Place[], out: Map<string, Unit>): Promise<void> {
  const root = await createUnit(db, {
    code: spec.code,
    parentId: parent?.id ?? null,
    kind: spec.kind,
    nameFa: spec.nameFa,
    nameEn: spec.nameEn,
    provinceId: null,
    countyId: null,
  });
  out.set(root.code, root);
  if (spec.provincial) {
    for (const place of where) {
      const directorate = await createUnit(db, {
        code: `${spec.code}-${place.provinceCode}`,
        parentId: root.id,
        kind: 'provincial_directorate',
        nameFa: fill(spec.provincial.fa, place.nameFa),
        nameEn: fill(spec.provincial.en, place.nameEn),
        provinceId: place.provinceId,
        countyId: null,
      });
      out.set(directorate.code, directorate);
      if (!spec.county) continue;
      for (const county of place.counties) {
        const office = await createUnit(db, {
          code: `${spec.code}-${county.code}`,
          parentId: directorate.id,
          kind: 'county_office',
          nameFa: fill(spec.county.fa, place.nameFa, county.nameFa),
          nameEn: fill(spec.county.en, place.nameEn, county.nameEn),
          provinceId: place.provinceId,
          countyId: county.id,
        });
        out.set(office.code, office);
      }
    }
  }
  for (const child of spec.children ?? []) await buildAgency(db, child, root, where, out);
}

export interface DemoUser {
  username: string;
  role: Role;
  displayName: string;
  unitCode?: string;
  province?: string;
  inspectionHead?: boolean;
}

export interface DemoResult {
  users: { username: string; role: Role; scope: string }[];
  /** The TOTP secret the demo's admin, operator and supervisor share (development only). */
  totpSecret: string;
  units: number;
  complaints: number;
  /** The seeded history, when asked for: complaints and the months whose cards were published. */
  history?: { complaints: number; published: string[] };
}

/**
 * Demo data for `npm start` on an empty database: the agencies above in Hamedan and Qazvin,
 * one user per role and a handful of complaints; with `history`, months of past complaints and
 * their published report cards too (see demo-history.ts). Runs once.
 */
export async function seedDemo(
  db: Database,
  password: string,
  publicUrl = 'http://localhost:3128',
  options: { totpSecret?: string | null; history?: HistoryOptions } = {},
): Promise<DemoResult | null> {
  // Also refused by the config: demo users have a published password.
  if (process.env.NODE_ENV === 'production') throw new Error('demo data cannot be seeded with NODE_ENV=production');
  // The roles that must sign in with TOTP get it already on, with one secret printed at start-up
  // (or DEMO_TOTP_SECRET): the published password alone opens none of them.
  const secret = options.totpSecret ?? new OTPAuth.Secret({ size: 20 }).base32;
  const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM units');
  if (rows[0]!.n > 0) return null;
  const where = await places(db.pool, DEMO_PROVINCES);
  const hamedan = where.find((p) => p.nameFa === 'همدان')!;
  const hamedanCounty = hamedan.counties.find((c) => c.nameFa === 'همدان') ?? hamedan.counties[0]!;
  const malayer = hamedan.counties.find((c) => c.nameFa === 'ملایر') ?? hamedan.counties[1]!;
  const units = await seedTree(db, where);
  // The demo is laid out at the history's time when one is given, else at the wall time.
  const now = options.history?.now ?? systemClock.now();
  const users = await seedStaff(db, units, where, demoUsers(hamedan, hamedanCounty, malayer), password, secret, now);
  const complaints = await seedSampleComplaints(db, units, { hamedan, hamedanCounty, malayer }, publicUrl);
  const history = options.history ? await seedHistory(db, [...units.values()], where, organisationCodes(DEMO_AGENCIES), options.history) : undefined;
  return { users, totpSecret: secret, units: units.size, complaints, ...(history ? { history } : {}) };
}

/** The agency tree: every demo agency with its directorates and county offices, in one transaction. */
async function seedTree(db: Database, where: Place[]): Promise<Map<string, Unit>> {
  const units = new Map<string, Unit>();
  await db.transaction(async (tx) => {
    for (const spec of DEMO_AGENCIES) await buildAgency(tx, spec, null, where, units);
  });
  return units;
}

/** One demo login per role, in Hamedan's offices (the tax, health and social security ones). */
function demoUsers(hamedan: Place, hamedanCounty: Place['counties'][number], malayer: Place['counties'][number]): DemoUser[] {
  const P = hamedan.provinceCode;
  return [
    { username: 'admin', role: 'national_admin', displayName: 'مدیر ملی سامانه' },
    { username: 'operator', role: 'operator', displayName: 'اپراتور ۱۲۸' },
    { username: 'auditor', role: 'auditor', displayName: 'حسابرس ملی' },
    { username: 'supervisor.hamedan', role: 'provincial_supervisor', displayName: 'ناظر استان همدان', province: hamedan.nameFa },
    {
      username: 'head.tax.hamedan',
      role: 'inspection_head',
      displayName: 'مسئول بازرسی دستگاه (مالیات استان همدان)',
      unitCode: `INTA-${P}`,
      inspectionHead: true,
    },
    {
      username: 'head.tax.hamedan-county',
      role: 'inspection_head',
      displayName: 'مسئول بازرسی دستگاه (ادارهٔ مالیاتی همدان)',
      unitCode: `INTA-${hamedanCounty.code}`,
      inspectionHead: true,
    },
    { username: 'leader.tax.hamedan-county', role: 'leader_county', displayName: 'مدیر شهرستان (مالیات همدان)', unitCode: `INTA-${hamedanCounty.code}` },
    { username: 'responder.tax.hamedan-county', role: 'responder', displayName: 'کارشناس پاسخگوی مالیات همدان', unitCode: `INTA-${hamedanCounty.code}` },
    {
      username: 'head.health.hamedan',
      role: 'inspection_head',
      displayName: 'مسئول بازرسی دستگاه (دانشگاه علوم پزشکی همدان)',
      unitCode: `MOH-${P}`,
      inspectionHead: true,
    },
    { username: 'leader.health.malayer', role: 'leader_county', displayName: 'مدیر شهرستان (بهداشت ملایر)', unitCode: `MOH-${malayer.code}` },
    { username: 'leader.health.senior', role: 'leader_senior', displayName: 'مدیر ارشد (وزارت بهداشت)', unitCode: 'MOH', inspectionHead: true },
    {
      username: 'head.sso.hamedan',
      role: 'inspection_head',
      displayName: 'مسئول بازرسی دستگاه (تأمین اجتماعی همدان)',
      unitCode: `SSO-${P}`,
      inspectionHead: true,
    },
  ];
}

/** Creates the demo's staff, makes the heads their units' inspection heads and turns TOTP on where the role needs it. */
async function seedStaff(
  db: Database,
  units: Map<string, Unit>,
  where: Place[],
  logins: DemoUser[],
  password: string,
  secret: string,
  now: Date,
): Promise<DemoResult['users']> {
  const users: DemoResult['users'] = [];
  for (const u of logins) {
    const unit = u.unitCode ? units.get(u.unitCode)! : null;
    const provinceId = u.province ? where.find((p) => p.nameFa === u.province)!.provinceId : null;
    const id = await createStaff(db.pool, {
      username: u.username,
      displayName: u.displayName,
      password,
      role: u.role,
      unitId: unit?.id ?? null,
      provinceId,
      language: 'fa',
    });
    if (unit && u.inspectionHead) await setInspectionHead(db.pool, unit.id, id, now);
    if (requiresTotp(u.role)) await setTotp(db.pool, id, secret, true);
    users.push({ username: u.username, role: u.role, scope: unit ? unit.nameFa : u.province ? `استان ${u.province}` : 'کشور' });
  }
  return users;
}
