import { getUnit, provinceExists } from '../agencies/store.ts';
import { AppError } from '../core/errors.ts';
import { AGENCY_ROLES, type Role } from '../core/roles.ts';
import type { Queryable } from '../db/database.ts';
import { normalizePersianText } from '../domain/persian-text.ts';
import { hashPassword } from './passwords.ts';
import { insertStaff } from './store.ts';

export interface StaffInput {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  unitId: number | null;
  provinceId: number | null;
  language: 'fa' | 'en';
}

/** Creates a staff user after checking that the role fits the scope given. */
export async function createStaff(db: Queryable, input: StaffInput): Promise<number> {
  if (AGENCY_ROLES.includes(input.role) && input.unitId === null)
    throw new AppError('validation_failed', { field: 'unitId', problem: 'agency roles need a unit' });
  if (input.role === 'provincial_supervisor' && (input.provinceId === null || input.unitId !== null)) {
    throw new AppError('validation_failed', { field: 'provinceId', problem: 'a provincial supervisor needs a province and no unit' });
  }
  if (input.role === 'national_admin' && (input.unitId !== null || input.provinceId !== null)) {
    throw new AppError('validation_failed', { field: 'role', problem: 'a national admin has no unit or province' });
  }
  if (input.unitId !== null && !(await getUnit(db, input.unitId))) throw new AppError('unit_not_found');
  if (input.provinceId !== null && !(await provinceExists(db, input.provinceId))) throw new AppError('unknown_place');
  try {
    return await insertStaff(db, { ...input, displayName: normalizePersianText(input.displayName), passwordHash: await hashPassword(input.password) });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new AppError('duplicate', { field: 'username' });
    throw error;
  }
}
