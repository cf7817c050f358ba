import type { Status } from '../domain/lifecycle.ts';
import { trackingCodeText } from '../domain/tracking-code.ts';

export const STATUS_FA: Record<Status, string> = {
  received: 'ثبت شده و در انتظار ارجاع',
  referred: 'ارجاع شده',
  assigned: 'در دست بررسی',
  in_progress: 'در دست بررسی',
  answered: 'پاسخ داده شده',
  closed: 'بسته شده',
  rejected: 'رد شده',
  appealed: 'در تجدیدنظر نزد ناظر استان',
};
const STATUS_EN: Record<Status, string> = {
  received: 'registered, awaiting referral',
  referred: 'referred',
  assigned: 'under review',
  in_progress: 'under review',
  answered: 'answered',
  closed: 'closed',
  rejected: 'rejected',
  appealed: 'under appeal with the provincial supervisors',
};

/** One sentence on a complaint's status, for an SMS reply, a bot message or an IVR to read out. */
export function statusSentence(s: { trackingCode: string; status: Status; referredTo: { name: string } | null }, language: 'fa' | 'en' = 'fa'): string {
  if (language === 'en') {
    return `Complaint ${trackingCodeText(s.trackingCode, 'en')}: ${STATUS_EN[s.status]}${s.referredTo && s.status !== 'closed' ? ` (${s.referredTo.name})` : ''}.`;
  }
  const unit = s.referredTo && s.status !== 'closed' && s.status !== 'rejected' ? ` — ${s.referredTo.name}` : '';
  return `وضعیت شکایت ${trackingCodeText(s.trackingCode, 'fa')}: ${STATUS_FA[s.status]}${unit}.`;
}
