import { describe, expect, it } from 'vitest';
import { clusterTexts, jaccard, shingles, signature } from './similarity.ts';

const OUTAGE = [
  'سامانه پرداخت قبض برق از صبح قطعه نمیشه پول داد',
  'سامانه پرداخت قبض برق از صبح قطع است و نمی‌شود پرداخت کرد',
  'از صبح سامانه پرداخت قبض برق قطعه هیچ کاری نمیشه کرد',
  'سامانۀ پرداخت قبض برق از صبح قطع هست',
  'سامانه پرداخت قبض برق از صبح امروز قطعه',
];
const OTHERS = [
  'کارمند باجه شماره دو ساعت ده هنوز نیومده بود',
  'به خاطر یک امضا سه بار رفتم و برگشتم',
  'نگهبان اداره با مراجعه‌کننده‌ها بد رفتاری میکنه',
  'اداره ساعت دوازده تعطیل کرد در حالی که تا دو باز است',
];

describe('incident similarity', () => {
  it('folds letter forms and ZWNJ before comparing', () => {
    expect(jaccard(shingles('سامانۀ پرداخت'), shingles('سامانه پرداخت'))).toBe(1);
    expect(jaccard(shingles('نمی‌شود'), shingles('نمی شود'))).toBe(1);
  });

  it('estimates Jaccard with MinHash: equal sets give equal signatures, different ones differ', () => {
    const a = shingles(OUTAGE[0]!);
    expect(signature(a)).toEqual(signature(new Set(a)));
    expect(signature(a)).not.toEqual(signature(shingles(OTHERS[0]!)));
  });

  it('clusters the outage’s complaints together and leaves the unrelated ones out', () => {
    const items = [...OUTAGE, ...OTHERS].map((text, i) => ({ id: `c${i}`, text }));
    const clusters = clusterTexts(items, { minSize: 3 });
    expect(clusters).toHaveLength(1);
    expect(clusters[0]!.length).toBeGreaterThanOrEqual(4);
    expect(clusters[0]!.every((id) => Number(id.slice(1)) < OUTAGE.length)).toBe(true);
  });

  it('gives nothing below the minimum size', () => {
    const items = OTHERS.map((text, i) => ({ id: `o${i}`, text }));
    expect(clusterTexts(items, { minSize: 2 })).toEqual([]);
  });
});
