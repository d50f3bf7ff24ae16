import { describe, expect, it } from 'vitest';
import { translator } from './catalogue';
import { en } from './en';
import { es } from './es';
import { pickLanguage } from './i18n';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('message catalogues', () => {
  it('have the same keys in English and Spanish', () => {
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
  });

  it('use the same placeholders in every translation of a message', () => {
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect({ key, placeholders: placeholders(es[key]) }).toEqual({ key, placeholders: placeholders(en[key]) });
    }
  });
});

describe(translator.name, () => {
  it('fills in placeholders', () => {
    expect(translator(es)('home.learner.heading', { name: 'Sam Student' })).toBe('Hola, Sam Student');
  });
});

describe(pickLanguage.name, () => {
  it('reads the primary language of BCP 47 and Moodle locale tags', () => {
    expect(pickLanguage(['es-MX'])).toBe('es');
    expect(pickLanguage(['es_mx'])).toBe('es');
    expect(pickLanguage(['EN'])).toBe('en');
  });

  it('takes the first supported language, else English', () => {
    expect(pickLanguage([null, 'fr', 'es'])).toBe('es');
    expect(pickLanguage(['fr', undefined, ''])).toBe('en');
  });
});
