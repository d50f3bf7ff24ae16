import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OAUTH_CLIENT } from '@ferry/platform-emulator';
import { openBrowser, type BrowserSession } from './support/browser';
import { startFerryStack, type FerryStack } from './support/ferry-stack';

/**
 * Issue 4 as a Moodle admin lives it: the first launch from a Moodle Ferry has never talked to asks
 * for its settings, the admin connects their own account in a popup (Moodle refuses to be framed),
 * and the course's files appear, unicode names and all.
 */
describe('an admin connects Ferry to a new Moodle and sees the course files', () => {
  let stack: FerryStack;
  let browser: BrowserSession;

  beforeAll(async () => {
    stack = await startFerryStack({}, { moodle: { course: { sections: 2, filesPerSection: 3, folders: true, unicodeNames: true, seed: 4 } } });
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('sets the platform up, connects through OAuth in a popup, and lists the files', async () => {
    const page = await browser.context.newPage();
    await page.goto(stack.platform.loginUrl('admin'));
    const frame = page.frameLocator('#contentframe');

    await frame.getByRole('heading', { name: 'Set up Moodle for Ferry' }).waitFor({ timeout: 20_000 });
    await expect(frame.getByLabel('Moodle URL').inputValue()).resolves.toBe(stack.platform.url);
    await frame.getByLabel('Client ID').fill(DEMO_OAUTH_CLIENT.clientId);
    await frame.getByLabel('Client secret').fill(DEMO_OAUTH_CLIENT.clientSecret);
    await frame.getByRole('button', { name: 'Save and check' }).click();

    await frame.getByRole('heading', { name: 'Connect to Moodle' }).waitFor({ timeout: 20_000 });
    const popupOpened = browser.context.waitForEvent('page');
    await frame.getByRole('button', { name: 'Connect with Moodle' }).click();
    const popup = await popupOpened;
    await popup.getByRole('button', { name: 'Allow' }).click();

    await frame.getByRole('heading', { name: 'Course files' }).waitFor({ timeout: 20_000 });
    const files = stack.platform.moodle.files();
    expect(files.some((file) => /[^\x00-\x7f]/.test(file.filename))).toBe(true);
    for (const file of files.slice(0, 4)) await frame.getByText(file.filename, { exact: true }).first().waitFor();
  });

  it('with a pasted token: refuses another user’s, then connects with the admin’s own', async () => {
    const other = await stack.addPlatform({ clientId: 'second-moodle' });
    await stack.configureMoodle(other);

    const page = await browser.context.newPage();
    await page.goto(other.loginUrl('admin'));
    const frame = page.frameLocator('#contentframe');
    await frame.getByRole('heading', { name: 'Connect to Moodle' }).waitFor({ timeout: 20_000 });
    await frame.getByLabel('Web service token', { exact: true }).fill(other.moodle.createToken('teacher1'));
    await frame.getByRole('button', { name: 'Connect with this token' }).click();
    await frame.getByText('This token belongs to a different Moodle user').waitFor();

    await frame.getByLabel('Web service token', { exact: true }).fill(other.moodle.createToken('admin'));
    await frame.getByRole('button', { name: 'Connect with this token' }).click();
    await frame.getByRole('heading', { name: 'Course files' }).waitFor({ timeout: 20_000 });
    await frame.getByText(other.moodle.files()[0].filename, { exact: true }).first().waitFor();
  });
});
