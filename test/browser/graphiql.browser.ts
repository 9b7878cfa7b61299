// GraphiQL in a real browser with no network: every request the page makes must go to the
// loopback server, and a query typed into it with the operator key must come back answered.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestApp, TEST_ADMIN_KEY, type TestApp } from '../helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
// No background traffic of the browser's own (updates, sync, field trials) besides the page's.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let t: TestApp;
let userDataDir: string;
let browser: BrowserContext;

beforeAll(async () => {
  t = await createTestApp({}, { listen: true });
  userDataDir = await mkdtemp(join(tmpdir(), 'graphiql-chromium-'));
  browser = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
});

afterAll(async () => {
  await browser?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  await t?.close();
});

test('GraphiQL renders offline and runs a query with the key in the headers', async () => {
  const origin = new URL(t.url!).origin;
  const elsewhere: string[] = [];
  await browser.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    elsewhere.push(url);
    return route.abort('internetdisconnected');
  });
  const pageErrors: string[] = [];
  const page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));

  const screenshot = process.env.GRAPHIQL_SCREENSHOT ?? join(await mkdtemp(join(tmpdir(), 'graphiql-')), 'graphiql.png');
  try {
    await page.goto(`${origin}/graphql`);
    expect(await page.title()).toBe('Send platform GraphiQL');

    const headersEditor = page.locator('.graphiql-editor-tool .graphiql-editor').filter({ hasText: 'Authorization' });
    await headersEditor.filter({ hasText: 'Bearer <your API key>' }).waitFor();
    await replaceText(headersEditor, JSON.stringify({ Authorization: `Bearer ${TEST_ADMIN_KEY}` }));
    await headersEditor.filter({ hasText: TEST_ADMIN_KEY }).waitFor();

    const queryEditor = page.locator('.graphiql-query-editor .graphiql-editor');
    await queryEditor.filter({ hasText: '.data/admin-api-key' }).waitFor();
    await replaceText(queryEditor, '{ viewer { id } }');
    await page.getByRole('button', { name: /execute query/i }).click();
    await page.locator('.graphiql-response').filter({ hasText: /"id":\s*"operator"/ }).waitFor();
  } finally {
    // Also on failure: the picture shows how far the page got, and a request that left the
    // machine is the likelier cause than the timeout it led to.
    await page.screenshot({ path: screenshot });
    console.log(`GraphiQL screenshot: ${screenshot}`);
    expect(elsewhere).toEqual([]);
  }
  expect(pageErrors).toEqual([]);
});

/** Replaces the whole text of a GraphiQL (Monaco) editor. The keys go to the page, not the
 * locator: focusing the editor's outer element would take the focus from Monaco's input. */
async function replaceText(editor: Locator, text: string): Promise<void> {
  const keyboard = editor.page().keyboard;
  await editor.click();
  await keyboard.press('ControlOrMeta+A');
  await keyboard.press('Delete');
  await keyboard.insertText(text);
}
