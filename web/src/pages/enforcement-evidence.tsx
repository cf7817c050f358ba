import { List, Text } from '@mantine/core';
import { num } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { periodLabel } from '../periods.ts';

/** The rules the system ships with, by code; a rule an administrator adds later shows its code. */
const RULE_NAMES: Record<string, { fa: string; en: string }> = {
  breach_rate_warning: { fa: 'قاعدهٔ تذکرِ گذشتن از مهلت', en: 'deadline breach warning rule' },
  top_decile_commendation: { fa: 'قاعدهٔ تشویقِ دهک برتر', en: 'top decile commendation rule' },
  repeated_severe_dismissal: { fa: 'قاعدهٔ پیشنهاد برکناری پس از تذکرها', en: 'dismissal after warnings rule' },
};

export function RuleName({ code }: { code: string }) {
  const { lang } = useI18n();
  const known = RULE_NAMES[code];
  return known ? (
    known[lang]
  ) : (
    <span className="ltr" dir="ltr">
      {code}
    </span>
  );
}

interface RuleEvidence {
  rule?: string;
  periods?: { period: string; complaints: number; breaches: number; breachRate: number }[];
  rank?: number;
  ranked?: number;
  priorWarnings?: number;
  reason?: string;
}

/**
 * The numbers behind an action (or the proposer's reason) in sentences a manager reads on a
 * phone — not the stored JSON, which ran off the screen and covered the reply button.
 */
export function Evidence({ evidence }: { evidence: unknown }) {
  const { t, lang } = useI18n();
  const e = (evidence && typeof evidence === 'object' ? evidence : {}) as RuleEvidence;
  const pct = (rate: number) => `${num(Math.round(rate * 1000) / 10, lang)}${lang === 'fa' ? '٪' : '%'}`;
  return (
    <List size="sm" mt="xs" spacing={4} data-testid="evidence">
      {e.reason && <List.Item>{e.reason}</List.Item>}
      {(e.periods ?? []).map((p) => (
        <List.Item key={p.period}>
          {t(
            `${periodLabel(p.period, lang)}: ${num(p.breaches, lang)} گذشته از مهلت در ${num(p.complaints, lang)} شکایت (${pct(p.breachRate)})`,
            `${periodLabel(p.period, lang)}: ${p.breaches} breached of ${p.complaints} complaints (${pct(p.breachRate)})`,
          )}
        </List.Item>
      ))}
      {e.rank !== undefined && e.ranked !== undefined && (
        <List.Item>{t(`رتبهٔ ${num(e.rank, lang)} از ${num(e.ranked, lang)} واحد`, `ranked ${e.rank} of ${e.ranked} units`)}</List.Item>
      )}
      {e.priorWarnings !== undefined && e.priorWarnings > 0 && (
        <List.Item>{t(`${num(e.priorWarnings, lang)} تذکر تأییدشده در ۱۲ ماه گذشته`, `${e.priorWarnings} confirmed warnings in 12 months`)}</List.Item>
      )}
      {!e.reason && !e.periods?.length && e.rank === undefined && <Text size="sm">—</Text>}
    </List>
  );
}

export const APPEAL_STATUS: Record<string, { fa: string; en: string }> = {
  pending: { fa: 'در انتظار رسیدگی', en: 'pending' },
  upheld: { fa: 'تصمیم ابقا شد', en: 'upheld' },
  overturned: { fa: 'تصمیم لغو شد', en: 'overturned' },
};
