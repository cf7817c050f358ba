import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { insertCategory, insertIndicator } from '../agencies/catalogue-store.ts';
import type { Database } from '../db/database.ts';
import { CATEGORIES, INDICATORS } from './catalogue.ts';

interface DivisionsFile {
  provinces: { code: string; nameFa: string; nameEn: string; population: number | null; counties: { code: string; nameFa: string; nameEn: string }[] }[];
}

export function readDivisions(): DivisionsFile {
  const path = join(dirname(fileURLToPath(import.meta.url)), '..', 'agencies', 'data', 'divisions.json');
  return JSON.parse(readFileSync(path, 'utf8')) as DivisionsFile;
}

/**
 * Reference data every installation needs: the country's divisions and the seed catalogue of
 * quality indicators and categories. Runs once, on an empty database; later changes are made
 * through the admin API.
 */
export async function seedReference(db: Database): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM provinces');
    if (rows[0]!.n > 0) return false;
    for (const province of readDivisions().provinces) {
      const { rows: inserted } = await tx.query<{ id: number }>(
        'INSERT INTO provinces (code, name_fa, name_en, population) VALUES ($1, $2, $3, $4) RETURNING id',
        [province.code, province.nameFa, province.nameEn, province.population],
      );
      const provinceId = inserted[0]!.id;
      for (const county of province.counties) {
        await tx.query('INSERT INTO counties (province_id, code, name_fa, name_en) VALUES ($1, $2, $3, $4)', [
          provinceId,
          county.code,
          county.nameFa,
          county.nameEn,
        ]);
      }
    }
    const indicatorIds = new Map<string, number>();
    for (const [i, indicator] of INDICATORS.entries()) {
      indicatorIds.set(indicator.code, await insertIndicator(tx, { ...indicator, sortOrder: (i + 1) * 10 }));
    }
    for (const [i, category] of CATEGORIES.entries()) {
      await insertCategory(tx, { ...category, indicatorId: indicatorIds.get(category.indicator)!, sortOrder: (i + 1) * 10 });
    }
    return true;
  });
}
