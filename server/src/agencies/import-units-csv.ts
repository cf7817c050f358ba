import { parse } from 'csv-parse/sync';
import { AppError } from '../core/errors.ts';
import type { Database } from '../db/database.ts';
import { normalizePersianText } from '../domain/persian-text.ts';
import { createUnit } from './manage-units.ts';
import { findCountyByCode, findProvinceByCode, getUnitByCode, UNIT_KINDS, type UnitKind, updateUnitNames } from './store.ts';

/** The columns of an agency-tree CSV, in any order; the first row names them. */
export const UNIT_CSV_COLUMNS = ['code', 'parent_code', 'kind', 'name_fa', 'name_en', 'province_code', 'county_code'] as const;

interface CsvRow {
  line: number;
  code: string;
  parentCode: string;
  kind: string;
  nameFa: string;
  nameEn: string;
  provinceCode: string;
  countyCode: string;
}

/**
 * Imports an agency tree from CSV in one transaction: all rows or none. A row whose code is
 * new creates a unit (its parent may be an existing unit or a row above it); a row whose code
 * exists renames that unit. Every problem is reported with its line number.
 */
export async function importUnitsCsv(db: Database, csv: string, now: Date): Promise<{ created: number; updated: number }> {
  let records: Record<string, string>[];
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new AppError('invalid_csv', { reason: (error as Error).message });
  }
  const header = Object.keys(records[0] ?? {});
  const missing = UNIT_CSV_COLUMNS.filter((c) => c !== 'name_en' && c !== 'province_code' && c !== 'county_code' && !header.includes(c));
  if (records.length === 0 || missing.length > 0) {
    throw new AppError('invalid_csv', { reason: records.length === 0 ? 'no rows' : `missing columns: ${missing.join(', ')}` });
  }
  if (records.length > 50_000) throw new AppError('invalid_csv', { reason: 'at most 50,000 rows per import' });
  const rows: CsvRow[] = records.map((r, i) => ({
    line: i + 2,
    code: r.code ?? '',
    parentCode: r.parent_code ?? '',
    kind: r.kind ?? '',
    nameFa: normalizePersianText(r.name_fa ?? ''),
    nameEn: (r.name_en ?? '').trim(),
    provinceCode: r.province_code ?? '',
    countyCode: r.county_code ?? '',
  }));

  return db.transaction(async (tx) => {
    let created = 0;
    let updated = 0;
    const problems: { line: number; code: string; reason: string }[] = [];
    for (const row of rows) {
      try {
        const existing = await getUnitByCode(tx, row.code);
        if (existing) {
          await updateUnitNames(tx, existing.id, row.nameFa || existing.nameFa, row.nameEn || existing.nameEn, now);
          updated++;
          continue;
        }
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(row.code)) throw rowError(`bad code "${row.code}"`);
        if (row.nameFa.length < 2 || row.nameFa.length > 200) throw rowError('name_fa must be 2 to 200 characters');
        if (!(UNIT_KINDS as readonly string[]).includes(row.kind)) throw rowError(`unknown kind "${row.kind}"`);
        const parent = row.parentCode ? await getUnitByCode(tx, row.parentCode) : null;
        if (row.parentCode && !parent) throw rowError(`parent "${row.parentCode}" not found above this line`);
        const province = row.provinceCode ? await findProvinceByCode(tx, row.provinceCode) : null;
        if (row.provinceCode && !province) throw rowError(`unknown province "${row.provinceCode}"`);
        const county = row.countyCode ? await findCountyByCode(tx, row.countyCode) : null;
        if (row.countyCode && !county) throw rowError(`unknown county "${row.countyCode}"`);
        await createUnit(tx, {
          code: row.code,
          parentId: parent?.id ?? null,
          kind: row.kind as UnitKind,
          nameFa: row.nameFa,
          nameEn: row.nameEn,
          provinceId: province?.id ?? county?.provinceId ?? null,
          countyId: county?.id ?? null,
        });
        created++;
      } catch (error) {
        const reason = error instanceof AppError ? `${error.code}: ${JSON.stringify(error.details ?? {})}` : (error as Error).message;
        problems.push({ line: row.line, code: row.code, reason });
        // An SQL error aborts the transaction, so nothing after it can be checked; our own
        // checks run before any write, so after them the remaining rows are still checked.
        const ours = error instanceof AppError || (error as Error).name === 'CsvRowError';
        if (!ours || problems.length >= 100) break;
      }
    }
    if (problems.length > 0) throw new AppError('invalid_csv', { problems });
    return { created, updated };
  });
}

function rowError(message: string): Error {
  const error = new Error(message);
  error.name = 'CsvRowError';
  return error;
}
