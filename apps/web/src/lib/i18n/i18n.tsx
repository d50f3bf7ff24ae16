import { createContext, useContext, useEffect, useLayoutEffect, useMemo, useState, type ReactNode } from 'react';
import { translator, type Translate } from './catalogue';
import { en } from './en';
import { es } from './es';

const catalogues = { en, es };

export type Language = keyof typeof catalogues;

/**
 * The first supported language among locale tags such as `es`, `es-MX` or Moodle's `es_mx`;
 * English when none is supported.
 */
export function pickLanguage(locales: ReadonlyArray<string | null | undefined>): Language {
  for (const locale of locales) {
    const primary = locale?.toLowerCase().split(/[-_]/)[0];
    if (primary && primary in catalogues) return primary as Language;
  }
  return 'en';
}

interface I18nState {
  language: Language;
  setLanguage: (language: Language) => void;
}

const I18nContext = createContext<I18nState | null>(null);

/** Until a session says otherwise, Ferry speaks the browser's language. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguage] = useState(() => pickLanguage([navigator.language]));
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const state = useMemo(() => ({ language, setLanguage }), [language]);
  return <I18nContext.Provider value={state}>{children}</I18nContext.Provider>;
}

function useI18nState(): I18nState {
  const state = useContext(I18nContext);
  if (!state) throw new Error('useT() and useLocale() need an <I18nProvider> above them.');
  return state;
}

/** The language the page speaks, for number and date formats. */
export function useLanguage(): Language {
  return useI18nState().language;
}

export function useT(): Translate {
  const { language } = useI18nState();
  return useMemo(() => translator(catalogues[language]), [language]);
}

/**
 * Switches to the locale of the LTI launch when there is one. A layout effect, so the switch
 * happens before the browser paints and nobody sees the page flash in the other language.
 */
export function useLocale(locale: string | null | undefined): void {
  const { setLanguage } = useI18nState();
  useLayoutEffect(() => {
    if (locale) setLanguage(pickLanguage([locale, navigator.language]));
  }, [locale, setLanguage]);
}
