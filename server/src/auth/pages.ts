import { AGENCY_ROLES, can, type Permission, type Role } from '../core/roles.ts';

/** The staff console's pages, each named by its path under /staff/. */
export const STAFF_PAGES = [
  'dashboard',
  'supervision',
  'inbox',
  'operator',
  'follow_up',
  'reports',
  'enforcement',
  'record',
  'inspections',
  'incidents',
  'admin',
  'alerts',
] as const;
export type StaffPage = (typeof STAFF_PAGES)[number];

const has = (permission: Permission) => (role: Role) => can(role, permission);

/** Who opens each page: its data comes from endpoints that check the same permissions. */
const OPENS: Record<StaffPage, (role: Role) => boolean> = {
  dashboard: has('hotspot.read'),
  supervision: has('enforcement.read'),
  inbox: has('complaint.read'),
  operator: has('complaint.file'),
  follow_up: has('followup.call'),
  reports: has('reports.read'),
  enforcement: has('enforcement.read'),
  // An office's leaders see their own enforcement record (the same page, their actions only).
  record: (role) => can(role, 'complaint.assign') && !can(role, 'enforcement.read'),
  // Agency leaders read the inspections of their own offices inside the complaint pages, not as a console.
  inspections: (role) => can(role, 'inspection.read') && !AGENCY_ROLES.includes(role),
  // One cause, many complaints: the staff who merge duplicates open and close incidents.
  incidents: has('complaint.merge'),
  admin: has('admin.users'),
  // Everyone signed in sets where their own alerts go (docs/staff-alerts.md); the API names no one else.
  alerts: () => true,
};

/** Where each role starts: the 128 centre at its desk, an agency at its inbox, the rest on the live dashboard. */
function homeOf(role: Role): StaffPage {
  if (role === 'operator') return 'operator';
  if (AGENCY_ROLES.includes(role)) return 'inbox';
  return 'dashboard';
}

/**
 * The pages a role may open, its home first, then in menu order. The web app shows exactly these
 * in its menu and refuses the rest (each page's API still checks its own permission).
 */
export function pagesOf(role: Role): StaffPage[] {
  const pages = STAFF_PAGES.filter((page) => OPENS[page](role));
  const home = homeOf(role);
  return pages.includes(home) ? [home, ...pages.filter((p) => p !== home)] : pages;
}
