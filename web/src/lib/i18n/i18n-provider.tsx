import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { formatDate, formatDateTime } from '../dates.ts';
import { formatMoney } from '../money.ts';
import { en, type MessageKey, type Messages } from './en.ts';
import { es } from './es.ts';
import type { StaffMessages } from './staff-en.ts';
import { zhCN } from './zh-CN.ts';

/** The languages of every customer-facing page; the same codes as the server's templates. */
export const LOCALES = ['en', 'zh-CN', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

/** Each language named in itself, so a reader finds theirs whatever the page is in. */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文', es: 'Español' };

const CATALOGUES: Record<Locale, Messages> = { en, 'zh-CN': zhCN, es };

/**
 * The staff pages' text, registered by their routes (staff-catalogues.ts) when they load, so a
 * customer's page never downloads it.
 */
let staffCatalogues: Record<Locale, StaffMessages> | null = null;

export function registerStaffCatalogues(catalogues: Record<Locale, StaffMessages>): void {
  staffCatalogues = catalogues;
}

/** The text of `key` in `locale`, else in English; undefined for a key no loaded catalogue has. */
function lookup(locale: Locale, key: string): string | undefined {
  const own = (c: object | undefined | null) =>
    c && Object.hasOwn(c, key) ? (c as Record<string, string>)[key] : undefined;
  return own(CATALOGUES[locale]) ?? own(staffCatalogues?.[locale]) ?? own(en) ?? own(staffCatalogues?.en);
}
const STORAGE_KEY = 'returnflow.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The best of our languages for a BCP 47 tag: any Chinese → zh-CN, any Spanish → es, else null. */
export function matchLocale(tag: string): Locale | null {
  const lower = tag.toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('es')) return 'es';
  if (lower.startsWith('en')) return 'en';
  return null;
}

/** The remembered choice, else the browser's preferred languages in order, else English. */
export function detectLocale(): Locale {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // Storage can be off (private mode, blocked cookies): fall back to the browser's language.
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const match = matchLocale(tag);
    if (match) return match;
  }
  return 'en';
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/** `t` for one language, `{name}` placeholders filled in (pure: the provider's, and tests'). */
export function translator(locale: Locale): Translate {
  return (key, values) => {
    // A staff key before its catalogue has loaded reads as itself rather than crashing the page.
    const text = lookup(locale, key) ?? key;
    if (!values) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in values ? String(values[name]) : m));
  };
}

/**
 * The text of a key built from a code (`admin.role.${role}`) when the catalogue has it, else
 * `fallback`: codes the server adds later still show, as themselves.
 */
export function tOr(t: Translate, key: string, fallback: string): string {
  return lookup('en', key) !== undefined ? t(key as MessageKey) : fallback;
}

type I18n = {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
  /** Integer minor units, formatted for this language (see lib/money.ts). */
  money: (amount: number, currency: string) => string;
  dateTime: (iso: string) => string;
  date: (iso: string) => string;
};

const I18nContext = createContext<I18n | null>(null);

/** The page's language: detected once, switchable, remembered, and set on `<html lang>`. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(detectLocale);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered across visits, but the page still switches.
    }
  }, []);

  const value = useMemo<I18n>(() => {
    return {
      locale,
      setLocale,
      t: translator(locale),
      money: (amount, currency) => formatMoney(amount, currency, locale),
      dateTime: (iso) => formatDateTime(iso, locale),
      date: (iso) => formatDate(iso, locale),
    };
  }, [locale, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language, its messages (`t`) and formatters. */
export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n must be used inside <I18nProvider>');
  return ctx;
}
