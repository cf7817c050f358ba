import type { Role } from './api.ts';

/**
 * One name per role, on every screen. Pages, messages and help texts name a role only through
 * this table (the server's ROLE_NAMES_FA in auth/roles.ts is the same, checked by a test), and the
 * variants below — names the same role went by on different pages — must appear nowhere.
 */
export const ROLE_NAMES: Record<Role, { fa: string; en: string }> = {
  national_admin: { fa: 'مدیر ملی سامانه', en: 'National administrator' },
  provincial_supervisor: { fa: 'ناظر استان', en: 'Provincial supervisor' },
  inspection_head: { fa: 'مسئول بازرسی دستگاه', en: 'Inspection head' },
  leader_senior: { fa: 'مدیر ارشد', en: 'Senior manager' },
  leader_middle: { fa: 'مدیر میانی', en: 'Middle manager' },
  leader_county: { fa: 'مدیر شهرستان', en: 'County manager' },
  responder: { fa: 'کارشناس پاسخگو', en: 'Responder' },
  operator: { fa: 'اپراتور ۱۲۸', en: '128 operator' },
  auditor: { fa: 'حسابرس', en: 'Auditor' },
};

/** Other names the roles went by; a test fails when one appears in the app's texts or on a page. */
export const ROLE_NAME_VARIANTS: readonly RegExp[] = [
  /کارگروه نظارت/,
  /ناظران(?! استان)/,
  /راهبر/,
  /کارشناس(ان)? ۱۲۸/,
  /اپراتور(های)? مرکز/,
  /مسئول(ان)? بازرسی(?! دستگاه)/,
  /رئیس بازرسی/,
  /مدیر ملی(?! سامانه)/,
  /حسابرس \(/,
];
