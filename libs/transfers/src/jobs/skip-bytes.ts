import { Transform, type Readable } from 'node:stream';

/** Drops the first `count` bytes: for a server that ignored a Range request and sent the file from byte 0. */
export function skipBytes(source: Readable, count: number): Readable {
  let remaining = count;
  const skipper = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (remaining >= chunk.length) {
        remaining -= chunk.length;
        callback();
        return;
      }
      const rest = chunk.subarray(remaining);
      remaining = 0;
      callback(null, rest);
    },
  });
  source.on('error', (error) => skipper.destroy(error));
  skipper.on('close', () => {
    if (!source.destroyed) source.destroy();
  });
  return source.pipe(skipper);
}
