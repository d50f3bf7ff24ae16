import { afterEach, describe, expect, it, vi } from 'vitest';
import { saveBlob } from './download';

describe(saveBlob.name, () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('clicks a download link to an object URL, then lets the URL go', () => {
    vi.useFakeTimers();
    const blob = new Blob(['a,b'], { type: 'text/csv' });
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:ferry/1');
    const revokeObjectURL = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked: Array<{ href: string; download: string; attached: boolean }> = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download, attached: this.isConnected });
    });

    saveBlob(blob, 'ferry-receipt-t1.csv');

    expect(createObjectURL).toHaveBeenCalledWith(blob);
    expect(clicked).toEqual([{ href: 'blob:ferry/1', download: 'ferry-receipt-t1.csv', attached: true }]);
    expect(document.querySelector('a[download]')).toBeNull();
    expect(revokeObjectURL).not.toHaveBeenCalled();
    vi.runAllTimers();
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:ferry/1');
  });
});
