import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { skipBytes } from './skip-bytes';

describe(skipBytes.name, () => {
  it('drops the first bytes across chunk boundaries', async () => {
    const source = Readable.from([Buffer.from('abc'), Buffer.from('defg'), Buffer.from('h')]);
    const chunks: Buffer[] = [];
    for await (const chunk of skipBytes(source, 5)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('fgh');
  });
});
