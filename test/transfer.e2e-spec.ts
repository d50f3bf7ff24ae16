import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from './support/browser';
import { startFerryStack, type FerryStack } from './support/ferry-stack';

/**
 * Issue 5 as an admin lives it, in a real browser inside the demo Moodle's iframe: tick a section's
 * files, transfer them, watch every bar reach 100 %, and download the delivery receipt.
 */
describe('an admin transfers course files and downloads the receipt', () => {
  let stack: FerryStack;
  let browser: BrowserSession;

  beforeAll(async () => {
    stack = await startFerryStack(
      { AZURE_BLOB_CONTAINER: 'ferry-e2e-browser' },
      { moodle: { course: { sections: 1, filesPerSection: 4, unicodeNames: true, fileSize: { min: 20_000, max: 2_000_000 }, seed: 31 } } },
      { worker: true },
    );
    await stack.configureMoodle(stack.platform);
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('selects a section, transfers it, shows every bar at 100 % and hands out the receipt', async () => {
    const page = await browser.context.newPage();
    await page.goto(stack.platform.loginUrl('admin'));
    const frame = page.frameLocator('#contentframe');
    await frame.getByRole('heading', { name: 'Connect to Moodle' }).waitFor({ timeout: 20_000 });
    await frame.getByLabel('Web service token', { exact: true }).fill(stack.platform.moodle.createToken('admin'));
    await frame.getByRole('button', { name: 'Connect with this token' }).click();
    await frame.getByRole('heading', { name: 'Course files' }).waitFor({ timeout: 20_000 });

    const files = stack.platform.moodle.files(2);
    const section = frame.getByRole('checkbox', { name: /^Select all files in / }).first();
    await section.check();
    await frame.getByRole('button', { name: 'Transfer selected files' }).click();

    await frame.getByRole('heading', { name: 'Transfer progress' }).waitFor({ timeout: 20_000 });
    const batch = frame.getByRole('progressbar', { name: 'Batch progress' });
    await expect.poll(() => batch.getAttribute('aria-valuenow'), { timeout: 30_000 }).toBe('100');
    for (const file of files) {
      await expect(frame.getByRole('progressbar', { name: file.filename, exact: true }).getAttribute('aria-valuenow')).resolves.toBe('100');
    }
    await expect(frame.getByText('Succeeded').count()).resolves.toBeGreaterThanOrEqual(files.length);

    const download = page.waitForEvent('download');
    await frame.getByRole('button', { name: 'Download receipt (CSV)' }).click();
    const receipt = await download;
    expect(receipt.suggestedFilename()).toMatch(/^ferry-receipt-.*\.csv$/);
    const lines = readFileSync((await receipt.path())!, 'utf8').trim().split('\r\n');
    expect(lines).toHaveLength(files.length + 1);
    for (const file of files) expect(lines.some((line) => line.includes(file.filename))).toBe(true);
  });
});
