import { describe, expect, it } from 'vitest';
import { encodeMoodleParams } from './moodle-params';

describe(encodeMoodleParams.name, () => {
  it('encodes arrays and objects with PHP brackets, booleans as 1/0, and leaves out empty values', () => {
    const sut = encodeMoodleParams({
      courseids: [2, 5],
      options: [{ name: 'excludecontents', value: true }],
      limittoenrolled: false,
      skipped: undefined,
      none: null,
    });

    expect([...sut]).toEqual([
      ['courseids[0]', '2'],
      ['courseids[1]', '5'],
      ['options[0][name]', 'excludecontents'],
      ['options[0][value]', '1'],
      ['limittoenrolled', '0'],
    ]);
  });
});
