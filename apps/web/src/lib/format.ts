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

const percentFormats = new Map<string, Intl.NumberFormat>();

/** `0.425` → `43%` (`43 %` in Spanish); never 100 % before the whole is done. */
export function formatPercent(fraction: number, language: Language): string {
  let format = percentFormats.get(language);
  if (!format) {
    format = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 });
    percentFormats.set(language, format);
  }
  return format.format(fraction < 1 ? Math.min(fraction, 0.99) : 1);
}

/**
 * A time left or taken, to the two largest units: `45 s`, `3 min 20 s`, `2 h 5 min`. The unit
 * symbols are the same in every language Ferry speaks.
 */
export function formatDuration(seconds: number, language: Language): string {
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  const count = (value: number) => formatCount(value, language);
  if (hours > 0) return minutes > 0 ? `${count(hours)} h ${count(minutes)} min` : `${count(hours)} h`;
  if (minutes > 0) return rest > 0 ? `${count(minutes)} min ${count(rest)} s` : `${count(minutes)} min`;
  return `${count(rest)} s`;
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
