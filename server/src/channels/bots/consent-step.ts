import { InlineKeyboard } from 'grammy';

/**
 * The identity-consent choice of the bot (issue 11; the real 128 since 1 Aban 1404): the
 * citizen's name and phone reach the agency complained about only if they agree. Off by
 * default; a toggle on the confirmation summary, so the choice is seen next to «تأیید».
 * Kept out of bot.ts (already long): the summary line, the keyboard and the toggle action.
 */
export const CONSENT_ACTION = 'i';

export const CONSENT_TEXT = {
  withheld: 'نام و شمارهٔ شما به دستگاه مورد شکایت داده نمی‌شود (فقط مرکز ۱۲۸ و بازرسان آن را می‌بینند).',
  given: 'با رضایت شما، نام و شمارهٔ شما به دستگاه مورد شکایت داده می‌شود.',
  give: '👤 رضایت می‌دهم نام و شماره‌ام به دستگاه داده شود',
  withhold: '🔒 نام و شماره‌ام به دستگاه داده نشود',
} as const;

/** The summary's line about the choice. */
export function consentLine(share: boolean | undefined): string {
  return share ? CONSENT_TEXT.given : CONSENT_TEXT.withheld;
}

/** The confirmation keyboard: confirm / cancel, and below them the toggle to the other choice. */
export function confirmKeyboard(form: string, share: boolean | undefined, labels: { confirm: string; cancel: string }): InlineKeyboard {
  return new InlineKeyboard()
    .text(`✅ ${labels.confirm}`, `${form}|ok|`)
    .text(`✖️ ${labels.cancel}`, `${form}|no|`)
    .row()
    .text(share ? CONSENT_TEXT.withhold : CONSENT_TEXT.give, `${form}|${CONSENT_ACTION}|${share ? 0 : 1}`);
}

/** The choice a toggle press asks for ("1": give, anything else: withhold). */
export function consentChoice(arg: string): boolean {
  return arg === '1';
}
