import { en } from './en';

export type MessageKey = keyof typeof en;

/** A translation: the English keys, no more and no fewer (an object literal with an extra key fails too). */
export type Catalogue = Record<MessageKey, string>;

/** `'Hello, {name}'` → `'name'`: the placeholders a message needs, read from the English text. */
type Placeholders<Text extends string> = Text extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;

export type MessageParams<Key extends MessageKey> = Placeholders<(typeof en)[Key]>;

/** Keys of messages without placeholders, for tables of messages such as one per role. */
export type PlainMessageKey = {
  [Key in MessageKey]: [MessageParams<Key>] extends [never] ? Key : never;
}[MessageKey];

/** `t('home.learner.heading', { name })`; a message without placeholders takes no second argument. */
export type Translate = <Key extends MessageKey>(
  key: Key,
  ...params: [MessageParams<Key>] extends [never] ? [] : [Record<MessageParams<Key>, string>]
) => string;

export function translator(catalogue: Catalogue): Translate {
  return (key, ...[params]) => {
    const text = catalogue[key];
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
      name in params ? (params as Record<string, string>)[name] : placeholder,
    );
  };
}
