/** Staff roles and what each may do. Where each may do it is the scope (scope.ts). */
export const ROLES = [
  'national_admin',
  'provincial_supervisor',
  'inspection_head',
  'leader_senior',
  'leader_middle',
  'leader_county',
  'responder',
  'operator',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that belong to an agency unit: they never see a confidential complainant. */
export const AGENCY_ROLES: readonly Role[] = ['inspection_head', 'leader_senior', 'leader_middle', 'leader_county', 'responder'];

/**
 * Roles that must sign in with a second factor (TOTP): the national admin, the provincial
 * supervisors and the 128 centre's operators — they see every complainant's identity.
 */
export const TOTP_REQUIRED_ROLES: readonly Role[] = ['national_admin', 'provincial_supervisor', 'operator'];

export function requiresTotp(role: Role): boolean {
  return TOTP_REQUIRED_ROLES.includes(role);
}

export type Permission =
  | 'complaint.read'
  | 'complaint.contact'
  | 'complaint.file'
  | 'complaint.triage'
  | 'complaint.assign'
  | 'complaint.work'
  | 'complaint.note'
  | 'complaint.transfer'
  | 'complaint.transfer.province'
  | 'complaint.reject'
  | 'complaint.escalate'
  | 'complaint.verify'
  | 'complaint.merge'
  | 'complaint.employee.read'
  | 'complaint.employee.set'
  | 'complaint.appeal.decide'
  | 'admin.units'
  | 'admin.users'
  | 'admin.catalogue'
  | 'enforcement.read'
  | 'enforcement.decide'
  | 'enforcement.appeal'
  | 'enforcement.rules'
  | 'inspection.dispatch'
  | 'inspection.read'
  | 'hotspot.read'
  | 'hotspot.settings'
  | 'reports.read'
  | 'reports.publish'
  | 'followup.call';

const LEADERS: Role[] = ['inspection_head', 'leader_senior', 'leader_middle', 'leader_county'];

export const PERMISSIONS: Record<Permission, readonly Role[]> = {
  'complaint.read': ROLES,
  'complaint.contact': ['national_admin', 'provincial_supervisor', 'operator', ...AGENCY_ROLES],
  'complaint.file': ['national_admin', 'operator'],
  'complaint.triage': ['national_admin', 'provincial_supervisor', 'operator'],
  'complaint.assign': LEADERS,
  'complaint.work': [...LEADERS, 'responder'],
  'complaint.note': ['national_admin', 'provincial_supervisor', 'operator', ...AGENCY_ROLES],
  'complaint.transfer': ['national_admin', 'provincial_supervisor', 'inspection_head', 'leader_senior', 'leader_middle'],
  /** Sending a complaint to an office in another province: the 128 centre and the national admin only. */
  'complaint.transfer.province': ['national_admin', 'operator'],
  'complaint.reject': ['national_admin', 'provincial_supervisor', 'inspection_head', 'leader_senior', 'leader_middle', 'operator'],
  'complaint.escalate': ['national_admin', 'provincial_supervisor'],
  'complaint.verify': ['national_admin', 'provincial_supervisor', 'auditor'],
  /** Merging duplicates by hand and splitting them again: the 128 centre, supervisors and agency leaders. */
  'complaint.merge': ['national_admin', 'provincial_supervisor', 'operator', 'inspection_head', 'leader_senior', 'leader_middle'],
  /**
   * The employee a citizen names is a civil servant's personal data, for inspection: the 128 centre,
   * the supervisors, auditors and the unit's inspection head read it. Leaders and responders do not
   * (the person named may be their colleague or themselves), nor employee hotspot alerts.
   */
  'complaint.employee.read': ['national_admin', 'provincial_supervisor', 'auditor', 'operator', 'inspection_head'],
  /** Setting or correcting it: the 128 centre and the supervisors, never the agency whose employee is named. */
  'complaint.employee.set': ['national_admin', 'provincial_supervisor', 'operator'],
  /** A citizen's appeal from the top of an agency's tree: the provincial supervision group, and the national centre when it is overdue. */
  'complaint.appeal.decide': ['national_admin', 'provincial_supervisor'],
  'admin.units': ['national_admin'],
  'admin.users': ['national_admin'],
  'admin.catalogue': ['national_admin'],
  // Enforcement: the provincial group decides for its province, the national centre for all and on appeals.
  'enforcement.read': ['national_admin', 'provincial_supervisor', 'auditor'],
  'enforcement.decide': ['national_admin', 'provincial_supervisor'],
  'enforcement.appeal': ['national_admin'],
  'enforcement.rules': ['national_admin'],
  'inspection.dispatch': ['national_admin', 'provincial_supervisor'],
  'inspection.read': ['national_admin', 'provincial_supervisor', 'auditor', 'inspection_head', 'leader_senior', 'leader_middle', 'leader_county'],
  'hotspot.read': ['national_admin', 'provincial_supervisor', 'auditor', 'operator', 'inspection_head', 'leader_senior', 'leader_middle', 'leader_county'],
  'hotspot.settings': ['national_admin'],
  // Report cards: leaders and supervisors see their scope's; responders and operators work cases, not reports.
  'reports.read': ['national_admin', 'provincial_supervisor', 'auditor', ...LEADERS],
  'reports.publish': ['national_admin'],
  /** Satisfaction follow-up calls on closed complaints: the 128 centre (and the supervisors, national admin) make them. */
  'followup.call': ['national_admin', 'provincial_supervisor', 'operator'],
};

export function can(role: Role, permission: Permission): boolean {
  return PERMISSIONS[permission].includes(role);
}

/** Persian names of the roles, for screens and the demo listing: the same as the web app's (web/src/role-names.ts, a test ties them). */
export const ROLE_NAMES_FA: Record<Role, string> = {
  national_admin: 'مدیر ملی سامانه',
  provincial_supervisor: 'ناظر استان',
  inspection_head: 'مسئول بازرسی دستگاه',
  leader_senior: 'مدیر ارشد',
  leader_middle: 'مدیر میانی',
  leader_county: 'مدیر شهرستان',
  responder: 'کارشناس پاسخگو',
  operator: 'اپراتور ۱۲۸',
  auditor: 'حسابرس',
};
