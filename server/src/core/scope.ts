import { can, type Role } from './roles.ts';
import { param } from './sql-param.ts';

/** The signed-in staff member, as every use case sees them. */
export interface StaffPrincipal {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
  /** The materialised path of the user's unit ('/3/17/'); null for users without a unit. */
  unitPath: string | null;
  provinceId: number | null;
  language: 'fa' | 'en';
}

/**
 * The SQL condition that limits complaints (alias `c`) to what a user may see. It is added
 * to every staff query, so scope is enforced by the database, never filtered afterwards:
 *   - a unit's staff see complaints currently with their unit or any unit below it;
 *   - a responder sees only complaints assigned to them (inside their unit's subtree);
 *   - a provincial supervisor sees every agency's complaints in their province;
 *   - operators and auditors are limited by whichever of unit / province they have;
 *   - the national admin sees everything.
 * Parameters are appended to `params`; the returned text refers to them by position.
 */
export function complaintScope(user: StaffPrincipal, params: unknown[], alias = 'c'): string {
  const conditions: string[] = [];
  const p = (value: unknown) => param(params, value);
  if (user.role === 'national_admin') return 'TRUE';
  if (user.unitPath !== null) conditions.push(`${alias}.unit_path LIKE ${p(user.unitPath)} || '%'`);
  else if (user.unitId !== null) conditions.push('FALSE'); // a unit that vanished: see nothing
  if (user.provinceId !== null) conditions.push(`${alias}.province_id = ${p(user.provinceId)}`);
  if (user.role === 'responder') conditions.push(`${alias}.assignee_id = ${p(user.id)}`);
  const agencyRole = ['inspection_head', 'leader_senior', 'leader_middle', 'leader_county', 'responder'].includes(user.role);
  if (agencyRole && user.unitPath === null) conditions.push('FALSE');
  if (user.role === 'provincial_supervisor' && user.provinceId === null) conditions.push('FALSE');
  return conditions.length ? conditions.join(' AND ') : 'TRUE';
}

/**
 * The SQL condition that limits rows about a unit (alias `a` with `unit_path` and `province_id`:
 * hotspot alerts, inspections, enforcement actions) to what a user may see — the complaint
 * rule without the responder's own-assignments clause: responders see none of these.
 */
export function unitScope(user: StaffPrincipal, params: unknown[], alias = 'a'): string {
  if (user.role === 'responder') return 'FALSE';
  return complaintScope(user, params, alias);
}

/**
 * Whether a user's scope is the whole country: their unit-row condition is no condition at all
 * (the national admin; an auditor without a unit or province). For national-only views.
 */
export function hasNationalScope(user: StaffPrincipal): boolean {
  return unitScope(user, []) === 'TRUE';
}

/**
 * The SQL condition for hotspot alerts (alias `a`) a user may see: the unit rule, and employee
 * alerts — which name a person — only for roles that may read named employees.
 */
export function alertScope(user: StaffPrincipal, params: unknown[], alias = 'a'): string {
  const scope = unitScope(user, params, alias);
  return can(user.role, 'complaint.employee.read') ? scope : `${scope} AND ${alias}.dimension <> 'employee'`;
}

/** A key that is equal for two users exactly when their scope conditions are equal (for grouping live subscribers). */
export function scopeKey(user: StaffPrincipal): string {
  if (user.role === 'national_admin') return 'national';
  return [user.role, user.unitPath ?? '', user.unitId ?? '', user.provinceId ?? '', user.role === 'responder' ? user.id : ''].join('|');
}

/**
 * The SQL condition that limits report rollups to a user's scope: rows whose responsible unit
 * (alias `unitAlias`, the units table) is the user's unit or below it, and/or whose province
 * column is the user's province. The same rules as `complaintScope`, on the office a complaint
 * is about rather than the one holding it now. Responders and operators have no report scope.
 */
export function reportScope(user: StaffPrincipal, params: unknown[], unitAlias = 'u', provinceColumn = 'r.province_id'): string {
  const p = (value: unknown) => param(params, value);
  if (user.role === 'national_admin') return 'TRUE';
  if (user.role === 'responder' || user.role === 'operator') return 'FALSE';
  const conditions: string[] = [];
  if (user.unitPath !== null) conditions.push(`${unitAlias}.path LIKE ${p(user.unitPath)} || '%'`);
  else if (user.unitId !== null) conditions.push('FALSE');
  if (user.provinceId !== null) conditions.push(`${provinceColumn} = ${p(user.provinceId)}`);
  const agencyRole = ['inspection_head', 'leader_senior', 'leader_middle', 'leader_county'].includes(user.role);
  if (agencyRole && user.unitPath === null) conditions.push('FALSE');
  if (user.role === 'provincial_supervisor' && user.provinceId === null) conditions.push('FALSE');
  return conditions.length ? conditions.join(' AND ') : 'TRUE';
}
