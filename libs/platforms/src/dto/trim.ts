import { Transform } from 'class-transformer';

/** Pasted values often carry stray spaces; issuer and client id are compared verbatim later. */
export function Trim(): PropertyDecorator {
  return Transform(({ value }) => {
    if (typeof value === 'string') return value.trim();
    if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? item.trim() : item));
    return value;
  });
}
