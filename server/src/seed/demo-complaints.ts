import type { Unit } from '../agencies/store.ts';
import { submitComplaint } from '../complaints/submit-complaint.ts';
import type { Database } from '../db/database.ts';

/** Where the demo's sample complaints are filed: the counties of Hamedan and Malayer, and Hamedan province. */
export interface SamplePlaces {
  hamedan: { provinceId: number };
  hamedanCounty: { id: number };
  malayer: { id: number };
}

/** Files the demo's handful of complaints through intake (one left for triage); returns how many. */
export async function seedSampleComplaints(db: Database, units: Map<string, Unit>, places: SamplePlaces, publicUrl: string): Promise<number> {
  const { hamedan, hamedanCounty, malayer } = places;
  const categories = (await db.pool.query<{ id: number; code: string }>('SELECT id, code FROM categories')).rows;
  const category = (code: string) => categories.find((c) => c.code === code)?.id;
  const samples: { agency: string; county: number; category: string; text: string; phone: string; employee?: string }[] = [
    {
      agency: 'INTA',
      county: hamedanCounty.id,
      category: 'absent_at_desk',
      text: 'ساعت ۱۰ صبح به ادارهٔ مالیات مراجعه کردم؛ کارمند باجهٔ ۳ پشت میز نبود و کسی هم جایش نبود. یک ساعت است منتظرم.',
      phone: '09121234567',
    },
    {
      agency: 'MOH',
      county: malayer.id,
      category: 'disrespect',
      text: 'در مرکز بهداشت با من بی‌احترامی شد و پرونده‌ام را بدون توضیح پس دادند.',
      phone: '09351234567',
      employee: 'خانم محمدی، مسئول پذیرش',
    },
    {
      agency: 'SSO',
      county: hamedanCounty.id,
      category: 'runaround',
      text: 'سه هفته است برای تمدید دفترچه مرا از این میز به آن میز می‌فرستند و هر بار می‌گویند فردا بیایید.',
      phone: '+4915112345678',
    },
    {
      agency: 'TAVANIR',
      county: malayer.id,
      category: 'system_down',
      text: 'سامانهٔ پرداخت قبض در ادارهٔ برق از صبح قطع است و هیچ کاری انجام نمی‌شود.',
      phone: '09191234567',
    },
  ];
  let filed = 0;
  for (const [i, s] of samples.entries()) {
    await submitComplaint(
      db,
      {
        channel: i === 2 ? 'telegram' : 'web',
        agencyId: units.get(s.agency)!.id,
        countyId: s.county,
        categoryId: category(s.category),
        description: s.text,
        contact: { phone: s.phone },
        confidential: i === 1,
        ...(s.employee ? { namedEmployee: s.employee } : {}),
      },
      { actor: { kind: 'citizen', id: null }, idempotencyKey: `demo-seed-${i}`, publicUrl },
    );
    filed++;
  }
  await submitComplaint(
    db,
    {
      channel: 'sms',
      officeText: 'ادارهٔ دارایی نهاوند',
      provinceId: hamedan.provinceId,
      description: 'کارمند ادارهٔ دارایی گفت فردا بیا ولی فردا تعطیل است؛ سه بار آمده‌ام.',
      contact: { phone: '09131234567' },
    },
    { actor: { kind: 'citizen', id: null }, idempotencyKey: 'demo-seed-triage', publicUrl },
  );
  return filed + 1;
}
