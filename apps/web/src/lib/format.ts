import type { Language } from './i18n/i18n';

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

// Formatters are costly to make and a file list formats thousands of values: one per language.
function numberFormat(language: Language, fractionDigits: number) {
  const key = `${language}:${fractionDigits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(language, { maximumFractionDigits: fractionDigits });
    numberFormats.set(key, format);
  }
  return format;
}

const units = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Sizes the way Moodle shows them: powers of 1024 with KB, MB, GB. */
export function formatBytes(bytes: number, language: Language): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${numberFormat(language, unit === 0 || value >= 100 ? 0 : 1).format(value)} ${units[unit]}`;
}

export function formatCount(count: number, language: Language): string {
  return numberFormat(language, 0).format(count);
}

export function formatDateTime(iso: string | null, language: Language): string {
  if (!iso) return '';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  let format = dateFormats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
    dateFormats.set(language, format);
  }
  return format.format(time);
}
