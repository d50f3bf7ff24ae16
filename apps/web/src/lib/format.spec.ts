import { describe, expect, it } from 'vitest';
import { formatBytes, formatDateTime } from './format';

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
