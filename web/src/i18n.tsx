import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type Lang, setApiLanguage } from './api.ts';

interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  /** Picks the text for the current language; both are written side by side where they are used. */
  t(fa: string, en: string): string;
}

const I18nContext = createContext<I18n | null>(null);
const STORAGE_KEY = 'foad.lang';

/** Persian first: the page starts in Persian (RTL) unless the person chose English before. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'fa'));
  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === 'fa' ? 'rtl' : 'ltr';
    setApiLanguage(lang);
  }, [lang]);
  setApiLanguage(lang);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => ({ lang, setLang, t: (fa, en) => (lang === 'fa' ? fa : en) }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
