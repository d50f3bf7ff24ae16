import { describe, expect, it } from 'vitest';
import { formatBytes, formatDateTime, formatDuration, formatPercent } from './format';

describe(formatBytes.name, () => {
  it('uses powers of 1024 like Moodle, with one decimal below 100', () => {
    expect(formatBytes(0, 'en')).toBe('0 B');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 ** 3, 'en')).toBe('5 GB');
    expect(formatBytes(1536, 'es')).toBe('1,5 KB');
  });
});

describe(formatDateTime.name, () => {
  it('formats ISO times in the language, and nothing for a missing one', () => {
    expect(formatDateTime('2025-03-01T10:00:00.000Z', 'en')).toMatch(/2025/);
    expect(formatDateTime(null, 'en')).toBe('');
  });
});

describe(formatPercent.name, () => {
  it('rounds to whole percents, and says 100 % only when the whole is done', () => {
    expect(formatPercent(0.425, 'en')).toBe('43%');
    expect(formatPercent(0.999, 'en')).toBe('99%');
    expect(formatPercent(1, 'en')).toBe('100%');
    expect(formatPercent(0.5, 'es').replace(/\s/, ' ')).toBe('50 %');
  });
});

describe(formatDuration.name, () => {
  it('gives the two largest units', () => {
    expect(formatDuration(0, 'en')).toBe('0 s');
    expect(formatDuration(44.6, 'en')).toBe('45 s');
    expect(formatDuration(200, 'en')).toBe('3 min 20 s');
    expect(formatDuration(180, 'en')).toBe('3 min');
    expect(formatDuration(7530, 'en')).toBe('2 h 5 min');
    expect(formatDuration(36_000, 'es')).toBe('10 h');
  });
});
