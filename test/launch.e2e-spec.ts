import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from './support/browser';
import { startFerryStack, type FerryStack } from './support/ferry-stack';

/**
 * A person's view of the walking skeleton: log into the demo Moodle, open the course page, and
 * Ferry launches inside the activity's iframe and greets them.
 */
describe('launch from a Moodle course page into the SPA inside an iframe', () => {
  let stack: FerryStack;

  beforeAll(async () => {
    stack = await startFerryStack();
  });
  afterAll(() => stack?.stop());

  async function launchAs(browser: BrowserSession, username: string) {
    const page = await browser.context.newPage();
    const launchPost = page.waitForRequest((request) => request.url().endsWith('/lti/launch') && request.method() === 'POST');
    await page.goto(stack.platform.loginUrl(username));
    const frame = page.frameLocator('#contentframe');
    await frame.getByText('Transfer 101').first().waitFor({ timeout: 20_000 });
    return { page, frame, launchRequest: await launchPost };
  }

  const roles = [
    { username: 'admin', name: 'Admin User' },
    { username: 'teacher1', name: 'Ivy Instructor' },
    { username: 'student1', name: 'Sam Student' },
  ];

  for (const { username, name } of roles) {
    it(`greets ${name} with their name and course`, async () => {
      const browser = await openBrowser();
      try {
        const { page, frame } = await launchAs(browser, username);
        await frame.getByText(name).first().waitFor();
        const ferryFrame = page.frames().find((candidate) => candidate.url().startsWith(stack.publicUrl));
        expect(ferryFrame?.url()).toBe(`${stack.publicUrl}/app/launch`);
      } finally {
        await browser.close();
      }
    });
  }

  it('still launches when the browser blocks third-party cookies', async () => {
    const browser = await openBrowser({ blockThirdPartyCookies: true });
    try {
      const { frame } = await launchAs(browser, 'student1');
      await frame.getByText('Sam Student').first().waitFor();
    } finally {
      await browser.close();
    }
  });

  it('fits a 360 px wide frame without horizontal scrolling', async () => {
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 360, height: 740 });
      await page.goto(stack.platform.loginUrl('admin'));
      await page.frameLocator('#contentframe').getByText('Admin User').first().waitFor({ timeout: 20_000 });
      const ferryFrame = page.frames().find((candidate) => candidate.url().startsWith(stack.publicUrl));
      // A string expression: this file is type-checked for Node, and the code runs in the page.
      const overflow = await ferryFrame!.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await browser.close();
    }
  });
});
